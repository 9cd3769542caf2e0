/* Shared helpers of the unit tests: temporary files and plans from strings. */
#ifndef MP_TEST_HELPERS_H
#define MP_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mixplan.h"

/* A fresh temporary directory for one test; the caller frees the string. */
static inline char *test_tmpdir(void)
{
    const char *base = getenv("MP_TMP");
    char tmpl[512];
    if (base) {
        mkdir(base, 0755);
        snprintf(tmpl, sizeof tmpl, "%s/unitXXXXXX", base);
    } else {
        snprintf(tmpl, sizeof tmpl, "/tmp/mixplan-unitXXXXXX");
    }
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

/* Write n bytes (NULs allowed) to dir/name; the caller frees the path. */
static inline char *test_write_bytes(const char *dir, const char *name, const void *bytes, size_t n)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    assert_non_null(path);
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

/* Write text to dir/name; the caller frees the path. */
static inline char *test_write(const char *dir, const char *name, const char *text)
{
    return test_write_bytes(dir, name, text, strlen(text));
}

/* Load a plan written from text; asserts success. */
static inline mp_plan *test_plan(const char *dir, const char *text)
{
    char *path = test_write(dir, "plan.ini", text);
    mp_plan *plan = NULL;
    mp_status st = mp_plan_load(path, &plan);
    if (st != MP_OK)
        fprintf(stderr, "plan load failed: %s\n", mp_last_error());
    assert_int_equal(st, MP_OK);
    free(path);
    return plan;
}

/* Load a plan expected to fail; returns the status, message in mp_last_error(). */
static inline mp_status test_plan_fails(const char *dir, const char *text)
{
    char *path = test_write(dir, "plan.ini", text);
    mp_plan *plan = NULL;
    mp_status st = mp_plan_load(path, &plan);
    assert_null(plan);
    free(path);
    return st;
}

/* UTF-8 text (characters of the Basic Multilingual Plane only) as UTF-16,
 * little or big endian, with a byte order mark when asked, decoded by hand
 * (not with engine/base/utf8.c, which the reader uses); *n gets the byte count, the caller
 * frees the bytes. */
static inline unsigned char *test_utf16(const char *s, int big_endian, int bom, size_t *n)
{
    unsigned char *out = malloc(2 * strlen(s) + 2);
    assert_non_null(out);
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; bom || *p; bom = 0) {
        unsigned cp;
        if (bom) {
            cp = 0xFEFF;
        } else if (*p < 0x80) {
            cp = *p++;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else {
            cp = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
        }
        unsigned char hi = (unsigned char)(cp >> 8), lo = (unsigned char)(cp & 0xFF);
        out[o++] = big_endian ? hi : lo;
        out[o++] = big_endian ? lo : hi;
    }
    *n = o;
    return out;
}

#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        if (!strstr((hay), (needle))) {                                                            \
            fprintf(stderr, "expected \"%s\" in \"%s\"\n", (needle), (hay));                       \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

#endif
