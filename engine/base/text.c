/* Strings: copies, formatting, comparison, suggestions, terminal columns. */
#include "base.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *mpi_strdup(const char *s)
{
    return s ? mpi_strndup(s, strlen(s)) : NULL;
}

char *mpi_strndup(const char *s, size_t n)
{
    char *d = mpi_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mpi_aprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = mpi_malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

char *mpi_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

int mpi_strieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *mpi_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, cands[i]);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    size_t len = strlen(word);
    size_t allowed = len < 4 ? 1 : len / 3;
    if (bestd <= allowed)
        return best;
    /* an abbreviation: most of the word starts a candidate ("convs", "impr") */
    for (size_t i = 0; i < n; i++) {
        size_t p = 0;
        while (word[p] && tolower((unsigned char)word[p]) == tolower((unsigned char)cands[i][p]))
            p++;
        if (p >= 4 && p + 2 >= len)
            return cands[i];
    }
    return NULL;
}

/* The next code point of UTF-8 text s (its length in *len), or -1 for a byte
 * that does not start a well-formed sequence. */
static long utf8_next(const unsigned char *s, int *len)
{
    static const long min[5] = {0, 0, 0x80, 0x800, 0x10000};
    int n = s[0] < 0x80             ? 1
            : (s[0] & 0xe0) == 0xc0 ? 2
            : (s[0] & 0xf0) == 0xe0 ? 3
            : (s[0] & 0xf8) == 0xf0 ? 4
                                    : 0;
    *len = 1;
    if (!n)
        return -1;
    long cp = n == 1 ? s[0] : s[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *len = n;
    return cp;
}

static int cp_cols(long cp)
{
    if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
        (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f) || cp == 0x200b)
        return 0; /* combining marks, zero-width space */
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
        (cp >= 0x20000 && cp <= 0x3fffd))
        return 2; /* East Asian wide, emoji */
    return 1;
}

void mpi_put_cols(FILE *out, const char *s, int cols)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int used = 0;
    while (*p) {
        int len;
        long cp = utf8_next(p, &len);
        int w = cp < 0 ? 1 : cp < 0x20 || cp == 0x7f ? 1 : cp_cols(cp);
        if (used + w > cols)
            break;
        if (cp < 0 || cp < 0x20 || cp == 0x7f)
            fputc('?', out); /* not UTF-8, or a control character */
        else
            fwrite(p, 1, (size_t)len, out);
        used += w;
        p += len;
    }
    for (; used < cols; used++)
        fputc(' ', out);
}

int mpi_text_cols(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int used = 0;
    while (*p) {
        int len;
        long cp = utf8_next(p, &len);
        used += cp < 0 ? 1 : cp < 0x20 || cp == 0x7f ? 1 : cp_cols(cp);
        p += len;
    }
    return used;
}

void mpi_put_name(FILE *out, const char *s, int cols, int indent)
{
    int n = mpi_text_cols(s);
    if (n <= cols) {
        mpi_put_cols(out, s, cols);
        return;
    }
    mpi_put_cols(out, s, n);
    fprintf(out, "\n%*s", indent + cols, "");
}

int mpi_text_chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

size_t mpi_wrap_len(const char *text, int cols)
{
    const char *cut = NULL, *q = text;
    int n = 0;
    while (*q && (n < cols || !cut)) {
        if (*q == ' ' && q[1] != '%')
            cut = q;
        n += ((unsigned char)*q & 0xc0) != 0x80;
        q++;
    }
    if (!*q && n <= cols)
        cut = q;
    return (size_t)((cut ? cut : q) - text);
}

void mpi_put_wrapped(FILE *out, const char *text, int at, int cols, int indent)
{
    const char *p = text;
    for (int first = 1; *p; first = 0) {
        size_t len = mpi_wrap_len(p, cols - (first ? at : indent));
        fprintf(out, "%*s%.*s\n", first ? 0 : indent, "", (int)len, p);
        p += len;
        while (*p == ' ')
            p++;
    }
}

void mpi_put_right(FILE *out, const char *s, int cols)
{
    int n = mpi_text_chars(s);
    fprintf(out, "%*s%s", cols > n ? cols - n : 0, "", s);
}

void mpi_put_left(FILE *out, const char *s, int cols)
{
    int n = mpi_text_chars(s);
    fprintf(out, "%s%*s", s, cols > n ? cols - n : 0, "");
}

void mpi_put_row(FILE *out, const mpi_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(' ', out);
        (cells[i].right ? mpi_put_right : mpi_put_left)(out, cells[i].text, cells[i].cols);
    }
}

void mpi_fmt_thousands(char *buf, size_t n, double v, int decimals)
{
    char tmp[64];
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "n/a" : "inf");
        return;
    }
    snprintf(tmp, sizeof tmp, "%.*f", decimals, fabs(v) < 1e15 ? fabs(v) : 1e15);
    char *dot = strchr(tmp, '.');
    size_t intlen = dot ? (size_t)(dot - tmp) : strlen(tmp);
    char out[96];
    size_t o = 0;
    int neg = v < 0 && (strspn(tmp, "0.") != strlen(tmp));
    if (neg)
        out[o++] = '-';
    for (size_t i = 0; i < intlen; i++) {
        out[o++] = tmp[i];
        size_t left = intlen - i - 1;
        if (left > 0 && left % 3 == 0)
            out[o++] = ',';
    }
    if (dot) {
        size_t rest = strlen(dot);
        memcpy(out + o, dot, rest);
        o += rest;
    }
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

void mpi_sanitize_name(char *dst, size_t n, const char *src)
{
    size_t o = 0;
    for (; *src && o + 1 < n; src++) {
        unsigned char c = (unsigned char)*src;
        dst[o++] = (isalnum(c) || c == '_') && c < 128 ? (char)c : '_';
    }
    dst[o] = '\0';
}

char *mpi_path_resolve(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir || !*dir)
        return mpi_strdup(rel);
    return mpi_aprintf("%s/%s", dir, rel);
}
