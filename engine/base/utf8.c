/* Text encodings: UTF-8 validation, and the text of a file turned into UTF-8
 * whatever a planner's machine wrote (UTF-8 with or without a BOM, UTF-16 LE
 * or BE, Windows-1252). Every reader goes through mpi_text_decode(), so that
 * no invalid UTF-8 gets past the readers into a workbook, the JSON or the
 * terminal.
 *
 * Windows-1252 is converted with the table below rather than iconv: only
 * 0x80-0x9F differ from Latin-1, the five bytes it leaves undefined must be
 * found (with their line) to refuse the file, the conversion must allocate
 * through the base allocator (failure injection reaches it), and iconv's
 * converters are loaded at run time from gconv modules that a statically
 * linked mixplan may not find. UTF-16 is decoded here for the same reasons. */
#include "base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Windows-1252 0x80-0x9F (the Unicode mapping table, cp1252.txt); 0 marks the
 * five bytes it leaves undefined: 0x81, 0x8D, 0x8F, 0x90, 0x9D. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80-87 */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,      /* 88-8F */
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90-97 */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178, /* 98-9F */
};

/* Length of the UTF-8 sequence at s (at most n bytes), 0 when it is not one:
 * truncated, overlong, a surrogate or above U+10FFFF (RFC 3629, table 3-7 of
 * the Unicode standard). */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* E0 80-9F: overlong */
        hi = c == 0xED ? 0x9F : 0xBF; /* ED A0-BF: surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80; /* F0 80-8F: overlong */
        hi = c == 0xF4 ? 0x8F : 0xBF; /* F4 90-: above U+10FFFF */
    } else
        return 0; /* a continuation byte, C0/C1 (overlong) or F5-FF */
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

size_t mpi_utf8_valid_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t l = seq_len(u + i, n - i);
        if (!l)
            break;
        i += l;
    }
    return i;
}

int mpi_utf8_valid(const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    return mpi_utf8_valid_len(s, n) == n;
}

size_t mpi_utf8_floor(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t j = n; /* back over the continuation bytes that end s[0..n) */
    while (j > 0 && n - j < 3 && (u[j - 1] & 0xC0) == 0x80)
        j--;
    if (j == 0)
        return n;
    unsigned char lead = u[j - 1];
    size_t len = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return j - 1 + len <= n ? n : j - 1;
}

void mpi_utf8_scrub(char *s)
{
    unsigned char *u = (unsigned char *)s;
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n) {
        size_t l = seq_len(u + i, n - i);
        if (!l)
            u[i] = '?';
        i += l ? l : 1;
    }
}

size_t mpi_utf8_cut_units(const char *s, size_t max_units, size_t *units)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0, cut = SIZE_MAX, i = 0;
    for (; u[i]; i++) {
        if ((u[i] & 0xC0) == 0x80)
            continue; /* a continuation byte: counted with its lead */
        size_t w = u[i] >= 0xF0 ? 2 : 1;
        if (cut == SIZE_MAX && n + w > max_units)
            cut = i;
        n += w;
    }
    *units = n;
    return cut == SIZE_MAX ? i : cut;
}

/* The UTF-8 of code point c (below 0x10000) at out; returns its length. */
static size_t put_bmp(char *out, unsigned c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
}

/* The code point of Windows-1252 byte b, 0 when undefined. */
static unsigned cp1252_char(unsigned char b)
{
    return b >= 0x80 && b <= 0x9F ? cp1252_high[b - 0x80] : b;
}

mp_status mpi_cp1252_to_utf8(const char *in, size_t n, char **out, size_t *outlen, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t need = 1;
    char tmp[4];
    for (size_t i = 0; i < n; i++) {
        unsigned c = cp1252_char(u[i]);
        if (!c && u[i]) {
            *bad = i;
            return MP_ERR_INPUT;
        }
        need += put_bmp(tmp, c);
    }
    char *b = mpi_malloc(need);
    if (!b)
        return mpi_nomem();
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += put_bmp(b + o, cp1252_char(u[i]));
    b[o] = '\0';
    *out = b;
    *outlen = o;
    return MP_OK;
}

static unsigned unit_at(const unsigned char *u, size_t i, int big_endian)
{
    return big_endian ? (unsigned)(u[i] << 8 | u[i + 1]) : (unsigned)(u[i + 1] << 8 | u[i]);
}

mp_status mpi_utf16_to_utf8(const char *in, size_t n, int big_endian, char **out, size_t *outlen,
                            size_t *bad)
{
    const unsigned char *u = (const unsigned char *)in;
    char *b = mpi_malloc(n / 2 * 3 + 1); /* 3 bytes at most for each unit */
    if (!b)
        return mpi_nomem();
    size_t o = 0, i = 0;
    for (; i + 1 < n; i += 2) {
        unsigned c = unit_at(u, i, big_endian);
        if (c >= 0xDC00 && c <= 0xDFFF)
            break; /* a low surrogate first */
        if (c < 0xD800 || c > 0xDBFF) {
            o += put_bmp(b + o, c);
            continue;
        }
        unsigned lo = i + 3 < n ? unit_at(u, i + 2, big_endian) : 0;
        if (lo < 0xDC00 || lo > 0xDFFF)
            break; /* a high surrogate alone */
        unsigned cp = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        b[o++] = (char)(0xF0 | (cp >> 18));
        b[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[o++] = (char)(0x80 | (cp & 0x3F));
        i += 2;
    }
    if (i < n) { /* stopped early, or an odd byte at the end */
        free(b);
        *bad = i;
        return MP_ERR_INPUT;
    }
    b[o] = '\0';
    *out = b;
    *outlen = o;
    return MP_OK;
}

/* The 1-based line of byte off in text of unit-byte characters (2: UTF-16). */
static int line_at(const unsigned char *u, size_t off, int unit, int big_endian)
{
    int line = 1;
    for (size_t i = 0; i + (size_t)unit <= off; i += (size_t)unit)
        line += unit == 1 ? u[i] == '\n' : unit_at(u, i, big_endian) == '\n';
    return line;
}

/* UTF-16 from its byte order mark, or without one from NUL bytes at odd or
 * even offsets (Keyword Planner writes UTF-16LE with a BOM; some tools drop
 * it). Returns 1 for little-endian, 2 for big-endian, 0 for no UTF-16;
 * *bom is the length of the mark. */
static int utf16_kind(const unsigned char *b, size_t n, size_t *bom)
{
    *bom = 2;
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return 1;
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return 2;
    *bom = 0;
    size_t even = 0, odd = 0, probe = n < 4096 ? n : 4096;
    for (size_t i = 0; i < probe; i++)
        if (!b[i] && i % 2)
            odd++;
        else if (!b[i])
            even++;
    if (probe >= 4 && odd > probe / 4 && even == 0)
        return 1;
    if (probe >= 4 && even > probe / 4 && odd == 0)
        return 2;
    return 0;
}

static mp_status from_utf16(const char *name, const char *buf, size_t len, int kind, size_t bom,
                            mpi_text *t)
{
    const char *label = kind == 2 ? "UTF-16BE" : "UTF-16LE";
    size_t bad = 0;
    mp_status st = mpi_utf16_to_utf8(buf + bom, len - bom, kind == 2, &t->owned, &t->n, &bad);
    if (st == MP_ERR_INPUT)
        return mpi_fail(st, N_("%s:%d: not valid %s text (at byte %zu): save the file as UTF-8"),
                        name, line_at((const unsigned char *)buf + bom, bad, 2, kind == 2), label,
                        bad + bom);
    t->p = t->owned;
    return st;
}

/* Whether the invalid text holds characters that are valid UTF-8 sequences of
 * two bytes or more: then it mixes encodings, and reading it as
 * Windows-1252 would garble them ("é" as "Ã©"). */
static int has_utf8_chars(const unsigned char *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (u[i] >= 0x80 && seq_len(u + i, n - i) > 1)
            return 1;
    return 0;
}

/* Text that is not UTF-8 and declares nothing: Windows-1252 (what Windows
 * calls "ANSI" in western Europe; Latin-1 files are read the same way, their
 * 0x80-0x9F control characters never being meant), said in a note. */
static mp_status from_cp1252(const char *name, const char *buf, size_t len, size_t first_bad,
                             mpi_text *t)
{
    const unsigned char *u = (const unsigned char *)buf;
    int first_line = line_at(u, first_bad, 1, 0);
    if (has_utf8_chars(u, len))
        return mpi_fail(MP_ERR_INPUT,
                        N_("%s:%d: not valid UTF-8 (byte 0x%02X) although other characters are: "
                           "the file mixes encodings; save it as UTF-8"),
                        name, first_line, u[first_bad]);
    size_t bad = 0;
    mp_status st = mpi_cp1252_to_utf8(buf, len, &t->owned, &t->n, &bad);
    if (st == MP_ERR_INPUT)
        return mpi_fail(st,
                        N_("%s:%d: neither UTF-8 nor Windows-1252 (byte 0x%02X is undefined in "
                           "Windows-1252): save the file as UTF-8"),
                        name, line_at(u, bad, 1, 0), u[bad]);
    if (st != MP_OK)
        return st;
    t->p = t->owned;
    t->note = mpi_aprintf(
        mpi_tr(mpi_msg_lang(), N_("%s: not UTF-8 (line %d): read as Windows-1252 (Latin-1)")), name,
        first_line);
    return t->note ? MP_OK : mpi_nomem();
}

mp_status mpi_text_decode(const char *name, const char *buf, size_t len, mpi_text *t)
{
    memset(t, 0, sizeof *t);
    const unsigned char *u = (const unsigned char *)buf;
    size_t bom = 0;
    int kind = utf16_kind(u, len, &bom);
    mp_status st = MP_OK;
    if (kind)
        st = from_utf16(name, buf, len, kind, bom, t);
    else {
        bom = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
        t->p = buf + bom;
        t->n = len - bom;
        size_t ok = mpi_utf8_valid_len(t->p, t->n);
        if (ok < t->n && memchr(t->p, '\0', t->n))
            st = MP_OK; /* binary: said below */
        else if (ok < t->n && bom)
            st = mpi_fail(MP_ERR_INPUT,
                          N_("%s:%d: not valid UTF-8 (byte 0x%02X) although the file starts with a "
                             "UTF-8 byte order mark: save it as UTF-8 again"),
                          name, line_at(u + bom, ok, 1, 0), u[bom + ok]);
        else if (ok < t->n)
            st = from_cp1252(name, buf, len, ok, t);
    }
    if (st == MP_OK && memchr(t->p, '\0', t->n))
        st = mpi_fail(MP_ERR_INPUT, N_("%s: not a text file (it contains NUL bytes)"), name);
    if (st != MP_OK)
        mpi_text_free(t);
    return st;
}

void mpi_text_free(mpi_text *t)
{
    if (!t)
        return;
    free(t->owned);
    free(t->note);
    memset(t, 0, sizeof *t);
}
