/* Memory, strings, numbers and dates shared by the engine and the models. */
#include "mpi.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const mpi_kpi_names[MPI_NKPI] = {"spend",   "impressions", "clicks", "conversions",
                                             "revenue", "grp",         "reach",  "co2"};
const char *const mpi_kpi_units[MPI_NKPI] = {"", "impressions", "clicks", "conversions",
                                             "", "GRP",         "people", "kg CO2e"};

int mpi_kpi_find(const char *name)
{
    if (mpi_strieq(name, "cost"))
        return MPI_SPEND;
    for (int q = 0; q < MPI_NKPI; q++)
        if (mpi_strieq(name, mpi_kpi_names[q]))
            return q;
    return -1;
}

void *mpi_calloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        return calloc(1, 1);
    if (n > SIZE_MAX / size)
        return NULL;
    return calloc(n, size);
}

void *mpi_reserve(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return NULL;
        ncap *= 2;
    }
    void *q = realloc(p, ncap * size);
    if (!q)
        return NULL;
    memset((char *)q + *cap * size, 0, (ncap - *cap) * size);
    *cap = ncap;
    return q;
}

char *mpi_strdup(const char *s)
{
    return s ? mpi_strndup(s, strlen(s)) : NULL;
}

char *mpi_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
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
    char *s = malloc((size_t)n + 1);
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

/* ---- numbers ---------------------------------------------------------- */

int mpi_parse_num(const char *s, unsigned units, const char *currency, double *out,
                  const char **why)
{
    char buf[128];
    size_t len = strlen(s);
    if (len >= sizeof buf) {
        *why = "too long for a number";
        return -1;
    }
    memcpy(buf, s, len + 1);
    char *p = mpi_trim(buf);
    if (!*p) {
        *why = "empty value";
        return -1;
    }
    /* strtod accepts "nan", "inf" and hex floats: planners never mean those. */
    for (char *c = p; *c; c++) {
        if (isalpha((unsigned char)*c) && c == p) {
            *why = "not a number";
            return -1;
        }
    }
    if (strchr(p, 'x') || strchr(p, 'X')) {
        *why = "not a number";
        return -1;
    }
    errno = 0;
    char *end;
    double v = strtod(p, &end);
    if (end == p) {
        *why = "not a number";
        return -1;
    }
    if (errno == ERANGE && fabs(v) > 1) {
        *why = "out of range";
        return -1;
    }
    while (isspace((unsigned char)*end))
        end++;
    double mult = 1;
    if (*end == '%' && (units & MPI_U_PCT)) {
        mult = 0.01;
        end++;
    } else if ((*end == 'k' || *end == 'K') && (units & MPI_U_KM)) {
        mult = 1e3;
        end++;
    } else if (*end == 'M' && (units & MPI_U_KM)) {
        mult = 1e6;
        end++;
    } else if (*end == 't' && (units & MPI_U_TONNE)) {
        mult = 1e3;
        end++;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (*end && (units & MPI_U_CUR) && currency && mpi_strieq(end, currency))
        end += strlen(end);
    if (*end) {
        if ((units & MPI_U_CUR) && currency && strlen(end) == 3 && isupper((unsigned char)end[0]))
            *why = "currency differs from the plan's";
        else
            *why = "unexpected characters after the number";
        return -1;
    }
    v *= mult;
    if (!isfinite(v)) {
        *why = "out of range";
        return -1;
    }
    *out = v;
    return 0;
}

static mp_status get_num(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                         double *out, int strict)
{
    const char *why = NULL;
    double v;
    if (mpi_parse_num(s, units, cur, &v, &why) != 0)
        return mpi_fail_at(MP_ERR_INPUT, loc, "expected a %s number, got \"%s\" (%s)",
                           strict ? "positive" : "non-negative", s, why);
    if (strict ? !(v > 0) : !(v >= 0))
        return mpi_fail_at(MP_ERR_INPUT, loc, "expected a %s number, got \"%s\"",
                           strict ? "positive" : "non-negative", s);
    *out = v;
    return MP_OK;
}

mp_status mpi_get_pos(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                      double *out)
{
    return get_num(s, units, cur, loc, out, 1);
}

mp_status mpi_get_nonneg(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                         double *out)
{
    return get_num(s, units, cur, loc, out, 0);
}

mp_status mpi_get_frac(const char *s, const mpi_loc *loc, double *out)
{
    double v = 0;
    mp_status st = mpi_get_nonneg(s, MPI_U_PCT, NULL, loc, &v);
    if (st != MP_OK)
        return st;
    if (v > 1)
        return mpi_fail_at(MP_ERR_INPUT, loc, "expected a share between 0 and 100%%, got \"%s\"",
                           s);
    *out = v;
    return MP_OK;
}

/* ---- dates (proleptic Gregorian, days since 1970-01-01) ---------------- */

long mpi_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void mpi_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int mpi_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[(m - 1) % 12];
}

int mpi_parse_date(const char *s, long *days)
{
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != '\0' || strlen(s) != 10)
        return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mpi_days_in_month(y, m))
        return -1;
    *days = mpi_days_from_civil(y, m, d);
    return 0;
}

void mpi_fmt_date(char *buf, size_t n, long days)
{
    int y, m, d;
    mpi_civil_from_days(days, &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}
