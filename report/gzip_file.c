// SPDX-License-Identifier: GPL-2.0
/*
 * gzip_file.c — fopencookie() around zlib's deflate, so a renderer writes
 * with fprintf whether or not the file is compressed, and a timeline of
 * hundreds of MB streams through without being held in memory.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "gzip_file.h"

struct gz {
	FILE *under;
	z_stream z;
	bool failed;
	unsigned char out[64 * 1024];
};

/* Runs deflate over the pending input with flush, writing every output block. */
static bool pump(struct gz *g, int flush)
{
	int ret;

	do {
		g->z.next_out = g->out;
		g->z.avail_out = sizeof(g->out);
		ret = deflate(&g->z, flush);
		if (ret == Z_STREAM_ERROR)
			return false;
		size_t have = sizeof(g->out) - g->z.avail_out;
		if (have && fwrite(g->out, 1, have, g->under) != have)
			return false;
	} while (g->z.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
	return true;
}

static ssize_t gz_write(void *cookie, const char *buf, size_t len)
{
	struct gz *g = cookie;

	if (g->failed)
		return -1;
	g->z.next_in = (unsigned char *)buf;
	g->z.avail_in = (uInt)len; /* stdio hands over at most its buffer size */
	if (!pump(g, Z_NO_FLUSH)) {
		g->failed = true;
		return -1;
	}
	return (ssize_t)len;
}

static int gz_close(void *cookie)
{
	struct gz *g = cookie;
	bool ok = !g->failed && pump(g, Z_FINISH);

	deflateEnd(&g->z);
	free(g);
	return ok ? 0 : EOF;
}

FILE *st_gzip_fopen(FILE *under)
{
	cookie_io_functions_t io = { .write = gz_write, .close = gz_close };
	struct gz *g = calloc(1, sizeof(*g));
	FILE *f;

	if (!g)
		return NULL;
	g->under = under;
	/* windowBits 15 + 16: a gzip header and trailer, not a raw zlib stream */
	if (deflateInit2(&g->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(g);
		return NULL;
	}
	f = fopencookie(g, "w", io);
	if (!f) {
		deflateEnd(&g->z);
		free(g);
	}
	return f;
}
