/* Numbers as planners write them (5%, 10k, 1.5M, 300 EUR, 2t) and the KPI names. */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* N_: the workbook and the summary show them through the catalogue (tr.c). */
const char *const mpi_kpi_names[MPI_NKPI] = {N_("spend"),       N_("impressions"), N_("clicks"),
                                             N_("conversions"), N_("revenue"),     N_("grp"),
                                             N_("reach"),       N_("co2")};
const char *const mpi_kpi_units[MPI_NKPI] = {"", N_("impressions"), N_("clicks"), N_("conversions"),
                                             "", N_("GRP"),         N_("people"), N_("kg CO2e")};

int mpi_kpi_find(const char *name)
{
    if (mpi_strieq(name, "cost"))
        return MPI_SPEND;
    for (int q = 0; q < MPI_NKPI; q++)
        if (mpi_strieq(name, mpi_kpi_names[q]))
            return q;
    return -1;
}

/* The multiplier of an allowed unit suffix after a number (5%, 10k, 1.5M,
 * 2t), moving *end past it and the spaces before it; 1 when none. */
static double unit_suffix(char **end, unsigned units)
{
    char *e = *end;
    while (isspace((unsigned char)*e))
        e++;
    double mult = 1;
    if (*e == '%' && (units & MPI_U_PCT))
        mult = 0.01;
    else if ((*e == 'k' || *e == 'K') && (units & MPI_U_KM))
        mult = 1e3;
    else if (*e == 'M' && (units & MPI_U_KM))
        mult = 1e6;
    else if (*e == 't' && (units & MPI_U_TONNE))
        mult = 1e3;
    *end = mult != 1 ? e + 1 : e;
    return mult;
}

/* Why the text end after a number is refused. */
static const char *trailing_why(const char *end, unsigned units, const char *currency)
{
    if ((units & MPI_U_CUR) && currency && strlen(end) == 3 && isupper((unsigned char)end[0]))
        return N_("currency differs from the plan's");
    if (!strncmp(end, "-+", 2) || !strncmp(end, "-/+", 3))
        return N_("the plus comes first in a range: 620 +- 15%");
    if (!strncmp(end, "\xC2\xB1", 2) || !strncmp(end, "+-", 2) || !strncmp(end, "+/-", 3) ||
        !strncmp(end, "(+", 2) || !strncmp(end, "(\xC2\xB1", 3))
        return N_("a range (+-) is not taken here: only a response curve's beta, ec, slope, k, "
                  "lambda, scale and value, and a search or social channel's cvr or ctr, take "
                  "one; give one number");
    return N_("unexpected characters after the number");
}

int mpi_parse_num(const char *s, unsigned units, const char *currency, double *out,
                  const char **why)
{
    char buf[128];
    size_t len = strlen(s);
    if (len >= sizeof buf) {
        *why = N_("too long for a number");
        return -1;
    }
    memcpy(buf, s, len + 1);
    char *p = mpi_trim(buf);
    if (!*p) {
        *why = N_("empty value");
        return -1;
    }
    /* strtod accepts "nan", "inf" and hex floats: planners never mean those. */
    for (char *c = p; *c; c++) {
        if (isalpha((unsigned char)*c) && c == p) {
            *why = N_("not a number");
            return -1;
        }
    }
    if (strchr(p, 'x') || strchr(p, 'X')) {
        *why = N_("not a number");
        return -1;
    }
    errno = 0;
    char *end;
    double v = strtod(p, &end);
    if (end == p) {
        *why = N_("not a number");
        return -1;
    }
    if (errno == ERANGE && fabs(v) > 1) {
        *why = N_("out of range");
        return -1;
    }
    double mult = unit_suffix(&end, units);
    while (isspace((unsigned char)*end))
        end++;
    if (*end && (units & MPI_U_CUR) && currency && mpi_strieq(end, currency))
        end += strlen(end);
    if (*end) {
        *why = trailing_why(end, units, currency);
        return -1;
    }
    v *= mult;
    if (!isfinite(v)) {
        *why = N_("out of range");
        return -1;
    }
    *out = v;
    return 0;
}

/* ---- hints for numbers written another way --------------------------- */

/* Bytes of a space that groups digits (a space, a tab, a no-break, narrow
 * no-break or thin space as Excel and French typing put them) at c, or 0. */
static size_t space_len(const char *c)
{
    if (*c == ' ' || *c == '\t')
        return 1;
    if (!strncmp(c, "\xC2\xA0", 2))
        return 2;
    if (!strncmp(c, "\xE2\x80\xAF", 3) || !strncmp(c, "\xE2\x80\x89", 3))
        return 3;
    return 0;
}

/* Bytes of a unit mixplan does not read (currency symbols, "GRP") at c, or 0:
 * amounts are in the plan's currency and GRP in GRP already. */
static size_t symbol_len(const char *c)
{
    static const char *const symbols[] = {"\xE2\x82\xAC", "\xC2\xA3", "$", NULL};
    for (const char *const *sym = symbols; *sym; sym++)
        if (!strncmp(c, *sym, strlen(*sym)))
            return strlen(*sym);
    if (tolower((unsigned char)c[0]) != 'g' || tolower((unsigned char)c[1]) != 'r' ||
        tolower((unsigned char)c[2]) != 'p')
        return 0;
    size_t n = (c[3] == 's' || c[3] == 'S') ? 4 : 3;
    return isalnum((unsigned char)c[n]) ? 0 : n;
}

/* Whether c starts a thousands or millions suffix (k, K, M) that ends the
 * number: not "kg", "Mo". */
static int km_at(const char *c)
{
    return (*c == 'k' || *c == 'K' || *c == 'M') && !isalpha((unsigned char)c[1]);
}

/* Whether out[0..o) ends with a number and its k or M ("5.2k" of "5.2k€"). */
static int after_km(const char *out, size_t o)
{
    char c = o >= 2 ? out[o - 1] : '\0'; /* out[o] is not written yet: km_at would read it */
    return (c == 'k' || c == 'K' || c == 'M') && isdigit((unsigned char)out[o - 2]);
}

enum { FIX_GROUPS = 1, FIX_COMMA = 2, FIX_SYMBOL = 4, FIX_COMMA3 = 8 };

/* s rewritten the way mixplan reads numbers into out: digit-group spaces and
 * unit symbols dropped, a decimal comma made a point. A comma followed by
 * exactly three digits may group thousands or mark decimals: comma3_point
 * says which to assume. Returns what was changed (0: nothing, or too long). */
static unsigned respell(const char *s, char *out, size_t size, int comma3_point)
{
    size_t o = 0, n;
    unsigned fixed = 0;
    const char *c = s;
    while (*c && o + 1 < size) {
        int after_digit = o > 0 && isdigit((unsigned char)out[o - 1]);
        if ((n = space_len(c)) && after_digit && isdigit((unsigned char)c[n])) {
            fixed |= FIX_GROUPS;
            c += n;
        } else if ((n = space_len(c)) && after_digit && km_at(c + n)) {
            fixed |= FIX_SYMBOL; /* "800 k€": 800k */
            c += n;
        } else if ((n = symbol_len(c)) &&
                   (o == 0 || after_digit || out[o - 1] == ' ' || after_km(out, o))) {
            fixed |= FIX_SYMBOL;
            c += n;
        } else if (*c == ',' && after_digit && isdigit((unsigned char)c[1])) {
            int three = strspn(c + 1, "0123456789") == 3;
            fixed |= three ? FIX_COMMA3 : FIX_COMMA;
            if (!three || comma3_point)
                out[o++] = '.';
            c++;
        } else {
            out[o++] = *c++;
        }
    }
    out[o] = '\0';
    return *c ? 0 : fixed;
}

/* "5 is read as 500 %; write 5% (or 0.05)": a rate written without % whose
 * value as a fraction is above 1 in size. */
static const char *pct_hint(const char *s, double v, char *buf, size_t size)
{
    char copy[128];
    snprintf(copy, sizeof copy, "%s", s);
    const char *t = mpi_trim(copy);
    snprintf(buf, size, mpi_tr(mpi_msg_lang(), "%s is read as %g %%; write %s%% (or %g)"), t,
             v * 100, t, v / 100);
    return buf;
}

int mpi_bare_above_one(const char *s, double v)
{
    return !strchr(s, '%') && fabs(v) > 1;
}

const char *mpi_num_hint(const char *s, unsigned units, const char *cur, char *buf, size_t size)
{
    char fix[128], alt[128];
    const char *why;
    double v;
    if (strlen(s) >= sizeof fix)
        return NULL;
    if (mpi_parse_num(s, units, cur, &v, &why) == 0)
        return units == MPI_U_PCT && mpi_bare_above_one(s, v) ? pct_hint(s, v, buf, size) : NULL;
    unsigned fixed = respell(s, fix, sizeof fix, 0);
    const char *f = mpi_trim(fix);
    if (!fixed || mpi_parse_num(f, units, cur, &v, &why) != 0)
        return NULL;
    respell(s, alt, sizeof alt, 1);
    const char *a = mpi_trim(alt);
    mpi_lang l = mpi_msg_lang(); /* the hint, in the reader's language */
    if (units == MPI_U_PCT && mpi_bare_above_one(f, v))
        pct_hint(f, v, buf, size);
    else if ((fixed & FIX_COMMA3) && mpi_parse_num(a, units, cur, &v, &why) == 0)
        snprintf(buf, size, mpi_tr(l, "write %s or %s"), f, a);
    else if ((fixed & FIX_GROUPS) && (units & MPI_U_KM) && v >= 1e6 && fmod(v, 1e6) == 0)
        snprintf(buf, size, mpi_tr(l, "write %gM or %s"), v / 1e6, f);
    else if ((fixed & FIX_GROUPS) && (units & MPI_U_KM) && v >= 1000 && fmod(v, 1000) == 0)
        snprintf(buf, size, mpi_tr(l, "write %gk or %s"), v / 1000, f);
    else
        snprintf(buf, size, mpi_tr(l, "write %s"), f);
    return buf;
}

static mp_status get_num(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                         double *out, int strict)
{
    const char *why = NULL;
    char hint[192];
    double v;
    mpi_lang l = mpi_msg_lang(); /* the reason and hint in the reader's language */
    if (mpi_parse_num(s, units, cur, &v, &why) != 0) {
        const char *h = mpi_num_hint(s, units, cur, hint, sizeof hint);
        const char *sep = h ? mpi_tr(l, N_("; ")) : "";
        if (strict)
            return mpi_fail_at(MP_ERR_INPUT, loc,
                               N_("expected a positive number, got \"%s\" (%s%s%s)"), s,
                               mpi_tr(l, why), sep, h ? h : "");
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a non-negative number, got \"%s\" (%s%s%s)"), s,
                           mpi_tr(l, why), sep, h ? h : "");
    }
    if (strict && !(v > 0))
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected a positive number, got \"%s\""), s);
    if (!strict && !(v >= 0))
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected a non-negative number, got \"%s\""), s);
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

/* A rate or share written without % is a fraction: planners who write
 * "ctr = 5" or "inflation = 8" mean 5 % and 8 %, and reading 500 % or 800 %
 * without a word would be the worst guess, so a bare number above 1 in size
 * is refused with the spelling that says what was meant. */
static mp_status fail_bare(const char *s, double v, const mpi_loc *loc)
{
    char hint[192];
    return mpi_fail_at(MP_ERR_INPUT, loc, "%s", pct_hint(s, v, hint, sizeof hint));
}

mp_status mpi_get_frac(const char *s, const mpi_loc *loc, double *out)
{
    double v = 0;
    mp_status st = mpi_get_nonneg(s, MPI_U_PCT, NULL, loc, &v);
    if (st != MP_OK)
        return st;
    if (mpi_bare_above_one(s, v))
        return fail_bare(s, v, loc);
    if (v > 1)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a share between 0 and 100%%, got \"%s\""), s);
    *out = v;
    return MP_OK;
}

mp_status mpi_get_rate(const char *s, const mpi_loc *loc, double *out)
{
    const char *why;
    char hint[192];
    double v;
    if (mpi_parse_num(s, MPI_U_PCT, NULL, &v, &why) != 0) {
        const char *h = mpi_num_hint(s, MPI_U_PCT, NULL, hint, sizeof hint);
        return mpi_fail_at(
            MP_ERR_INPUT, loc, N_("expected a yearly rate such as 9%%, got \"%s\" (%s%s%s)"), s,
            mpi_tr(mpi_msg_lang(), why), h ? mpi_tr(mpi_msg_lang(), N_("; ")) : "", h ? h : "");
    }
    if (mpi_bare_above_one(s, v))
        return fail_bare(s, v, loc);
    if (v <= -1 || v > MPI_MAX_RATE)
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected a yearly rate such as 9%%, got \"%s\""),
                           s);
    *out = v;
    return MP_OK;
}

/* ---- typical ranges ---------------------------------------------------- */

/* The bounds come from published market figures (the sources below and in
 * the README's table) and are set well outside them, so that a
 * warning means "probably a typo or a unit slip", never "unusual market".
 *
 * CTR: search averages 6.42 % (2024) and 6.66 % (2025), WordStream/LocaliQ
 * benchmarks; Meta France about 1.4 %. Above 20 % is three times the search
 * average. */
const mpi_typical mpi_typical_ctr = {N_("a click-through rate"), -INFINITY, 0.20, MPI_TYP_PCT};
/* CVR: search conversion rates 6.96 % (2024) and 7.52 % (2025), WordStream/
 * LocaliQ. Above 50 % is more than six times the average. */
const mpi_typical mpi_typical_cvr = {N_("a conversion rate"), -INFINITY, 0.50, MPI_TYP_PCT};
/* Yearly cost inflation: search CPC +7 to +13 % a year (WordStream/LocaliQ
 * 2016-2026, Alphabet 2025, Tinuiti Q4 2023, Skai Q3 2025), social CPM -5 %
 * (Skai Q3 2025). Above +100 % or below -50 % is ten times the largest move. */
const mpi_typical mpi_typical_inflation = {N_("a yearly cost inflation"), -0.50, 1.00, MPI_TYP_PCT};
/* CPM: Meta France 2025 about $9.7 (4.9 to 16.7); French TV 5 to 18 EUR on
 * the main channels, about 2 EUR on smaller ones. 0.1 is twenty times below
 * the lowest, 500 thirty times above the highest. */
const mpi_typical mpi_typical_cpm = {N_("a CPM"), 0.1, 500, MPI_TYP_CUR};
/* Cost per GRP: a 50 k spot at a 10 % rating costs 5 k per GRP, a night spot
 * under 5 k at a fraction of a point still tens to hundreds: below 1 is a
 * cost per contact or a slip of thousands. */
const mpi_typical mpi_typical_cpp = {N_("a cost per GRP"), 1, INFINITY, MPI_TYP_CUR};

void mpi_typical_value(char *buf, size_t size, double v, const mpi_typical *t, const char *currency)
{
    if (t->unit == MPI_TYP_PCT)
        snprintf(buf, size, "%g%%", v * 100);
    else
        snprintf(buf, size, "%g%s%s", v, currency ? " " : "", currency ? currency : "");
}

/* In lang (the values as the plan file writes them: they are what the
 * planner types). */
void mpi_typical_range_in(mpi_lang lang, char *buf, size_t size, const mpi_typical *t,
                          const char *currency)
{
    char lo[64], hi[64];
    mpi_typical_value(lo, sizeof lo, t->lo, t, currency);
    mpi_typical_value(hi, sizeof hi, t->hi, t, currency);
    if (isinf(t->lo))
        snprintf(buf, size, mpi_tr(lang, "at most %s"), hi);
    else if (isinf(t->hi))
        snprintf(buf, size, mpi_tr(lang, "at least %s"), lo);
    else
        snprintf(buf, size, mpi_trc(lang, "typical range", "%s to %s"), lo, hi);
}

/* In the thread's message language. */
void mpi_typical_range(char *buf, size_t size, const mpi_typical *t, const char *currency)
{
    mpi_typical_range_in(mpi_msg_lang(), buf, size, t, currency);
}

/* The warning about v in lang: its words (the rate's name, the range, the
 * hint) in that language, the key and values as typed. */
static void typical_text(mpi_lang lang, char *buf, size_t size, const mpi_loc *loc, const char *s,
                         double v, const mpi_typical *t, const char *currency)
{
    char where[512] = "", shown[64], range[160], bare[192] = "";
    if (loc && loc->file)
        snprintf(where, sizeof where, "%s:%d: ", loc->file, loc->line);
    mpi_typical_value(shown, sizeof shown, v, t, currency);
    mpi_typical_range_in(lang, range, sizeof range, t, currency);
    if (t->unit == MPI_TYP_PCT && !strchr(s, '%')) {
        char copy[64];
        snprintf(copy, sizeof copy, "%s", s);
        const char *c = mpi_trim(copy);
        snprintf(bare, sizeof bare,
                 mpi_tr(lang, "; a number without %% is a fraction: write %s%% if %s %% was meant"),
                 c, c);
    }
    const char *key = loc && loc->key ? loc->key : "value";
    const char *what = mpi_tr(lang, t->what);
    if (v < t->lo || v > t->hi)
        snprintf(buf, size, mpi_tr(lang, N_("%s%s: %s is outside the typical range of %s (%s)%s")),
                 where, key, shown, what, range, bare);
    else
        snprintf(buf, size,
                 mpi_tr(lang, N_("%s%s: %s is at the edge of the typical range of %s (%s)%s")),
                 where, key, shown, what, range, bare);
}

mp_status mpi_check_typical(mp_status st, mpi_diag *d, const mpi_loc *loc, const char *s,
                            const double *value, const mpi_typical *t, const char *currency)
{
    if (st != MP_OK)
        return st;
    double v = *value;
    /* a bare 1 is 100 %, legal for every rate, but most often 1 % misspelt */
    int bare_one = t->unit == MPI_TYP_PCT && !strchr(s, '%') && fabs(v) == 1;
    if (!(v < t->lo || v > t->hi) && !bare_one)
        return MP_OK;
    char texts[MPI_NLANG][1024];
    const char *each[MPI_NLANG];
    for (int g = 0; g < MPI_NLANG; g++) {
        typical_text((mpi_lang)g, texts[g], sizeof texts[g], loc, s, v, t, currency);
        mpi_utf8_scrub(texts[g]); /* a path quoted as given */
        each[g] = texts[g];
    }
    return mpi_warn_texts(d, each);
}

/* ---- limits ---------------------------------------------------------------- */

const mpi_limit mpi_limit_amount = {N_("amount"), 0, MPI_MAX_AMOUNT};
const mpi_limit mpi_limit_unit_cost = {N_("unit cost"), MPI_MIN_UNIT_COST, MPI_MAX_UNIT_COST};
const mpi_limit mpi_limit_curve_scale = {N_("curve scale"), MPI_MIN_UNIT_COST, MPI_MAX_UNIT_COST};

const char *mpi_limit_why(double v, const mpi_limit *l, const char *currency, char *buf,
                          size_t size)
{
    if (v >= l->lo && v <= l->hi)
        return NULL;
    const char *sp = currency ? " " : "", *cur = currency ? currency : "";
    mpi_lang lang = mpi_msg_lang();
    const char *what = mpi_tr(lang, l->what);
    if (v < l->lo)
        snprintf(buf, size,
                 mpi_tr(lang, N_("%g%s%s is below %g%s%s, the smallest %s mixplan solves reliably "
                                 "(README, Limits)")),
                 v, sp, cur, l->lo, sp, cur, what);
    else
        snprintf(buf, size,
                 mpi_tr(lang, N_("%g%s%s is above %g%s%s, the largest %s mixplan solves reliably "
                                 "(README, Limits)")),
                 v, sp, cur, l->hi, sp, cur, what);
    return buf;
}

mp_status mpi_check_limit(mp_status st, const mpi_loc *loc, const double *value, const mpi_limit *l,
                          const char *currency)
{
    char why[256];
    if (st != MP_OK || !mpi_limit_why(*value, l, currency, why, sizeof why))
        return st;
    return mpi_fail_at(MP_ERR_INPUT, loc, "%s", why);
}
