module schedtrace/workloads/go

go 1.19
