/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab_notice.h — a lab's "what to notice": sentences computed from this
 * machine's measurements, never fixed text. When the machine shows the
 * opposite of what the handout expects, the sentence says so.
 */
#ifndef SCHEDTRACE_LAB_NOTICE_H
#define SCHEDTRACE_LAB_NOTICE_H

#include "format.h"
#include "lab.h"

/*
 * Appends lab's sentences to p, one paragraph; runs[i] is experiment i's
 * run (NULL, or no repeats, when it was not measured: the sentences that
 * need it are left out).
 */
void st_lab_notice(struct st_para *p, const struct st_lab *lab, const struct st_run *const *runs);

#endif
