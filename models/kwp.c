/* Google Ads Keyword Planner exports ("Keyword Stats"): columns matched by
 * name, the date range above the header dates the prices and monthly columns. */
#include "models.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_KEYWORD, COL_CURRENCY, COL_VOLUME, COL_COMP_INDEX, COL_BID_LO, COL_BID_HI, NCOL };

static const char *const col_names[NCOL][2] = {
    {"Keyword", "Mot clé"},
    {"Currency", "Devise"},
    {"Avg. monthly searches", "Nombre moyen de recherches mensuelles"},
    {"Competition (indexed value)", "Concurrence (valeur indexée)"},
    {"Top of page bid (low range)", "Enchère en haut de page (plage basse)"},
    {"Top of page bid (high range)", "Enchère en haut de page (plage haute)"},
};

static const char *const months_en[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_index(const char *s)
{
    for (int m = 0; m < 12; m++)
        if (strncasecmp(s, months_en[m], 3) == 0)
            return m;
    return -1;
}

/* "June 1, 2025 - May 31, 2026" -> the day after the range's last day. */
static long parse_range_end(const char *s)
{
    const char *dash = strrchr(s, '-');
    if (!dash)
        return -1;
    dash++;
    while (*dash == ' ')
        dash++;
    int m = month_index(dash);
    if (m < 0)
        return -1;
    const char *sp = strchr(dash, ' ');
    int d, y;
    if (!sp || sscanf(sp, " %d, %d", &d, &y) != 2 || d < 1 || d > 31 || y < 1990 || y > 2200)
        return -1;
    return mpi_days_from_civil(y, m + 1, d) + 1;
}

/* Numbers as Keyword Planner and spreadsheets write them: "1,27" (decimal
 * comma), "1,000", "5 000", "1K – 10K" (a range: its geometric middle). */
static int kw_num(const char *in, double *out, int *bucketed)
{
    char buf[96];
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)in; *s && o + 1 < sizeof buf; s++) {
        if (*s == ' ' || *s == '\t')
            continue;
        if (s[0] == 0xC2 && s[1] == 0xA0) { /* no-break space */
            s++;
            continue;
        }
        if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF) { /* narrow no-break space */
            s += 2;
            continue;
        }
        if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x93) { /* en dash */
            buf[o++] = '~';
            s += 2;
            continue;
        }
        buf[o++] = (char)*s;
    }
    buf[o] = '\0';
    if (!o)
        return -1;
    char *tilde = strchr(buf, '~');
    if (!tilde && o > 1)
        tilde = strchr(buf + 1, '-');
    if (tilde) {
        *tilde = '\0';
        double a, b;
        int dummy;
        if (kw_num(buf, &a, &dummy) || kw_num(tilde + 1, &b, &dummy) || a <= 0 || b < a)
            return -1;
        *out = sqrt(a * b);
        *bucketed = 1;
        return 0;
    }
    char *comma = strrchr(buf, ',');
    if (comma && !strchr(buf, '.')) {
        size_t after = strspn(comma + 1, "0123456789");
        if ((after == 1 || after == 2) && comma[1 + after] == '\0' && strchr(buf, ',') == comma)
            *comma = '.';
    }
    o = 0;
    for (char *s = buf; *s; s++)
        if (*s != ',')
            buf[o++] = *s;
    buf[o] = '\0';
    const char *why;
    if (mpi_parse_num(buf, MPI_U_KM | MPI_U_PCT, NULL, out, &why) != 0)
        return -1;
    return 0;
}

static int is_bucket(double v)
{
    for (double p = 10; p <= 1e9; p *= 10)
        if (v == p || v == 5 * p)
            return 1;
    return 0;
}

static int header_col(char **row, size_t n, int which)
{
    for (size_t c = 0; c < n; c++) {
        const char *cell = mpi_trim(row[c]);
        if (mpi_strieq(cell, col_names[which][0]) || mpi_strieq(cell, col_names[which][1]))
            return (int)c;
    }
    return -1;
}

void mpi_kwp_free(mpi_kwp *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->kw[i].text);
    free(k->kw);
    free(k->currency);
    memset(k, 0, sizeof *k);
}

mp_status mpi_kwp_read(const char *path, mp_plan *plan, const char *plan_file, int line,
                       mpi_kwp *out)
{
    memset(out, 0, sizeof *out);
    out->data_day = -1;
    mpi_table t;
    mp_status st = mpi_table_read(path, 0, &t);
    if (st != MP_OK) {
        mpi_loc loc = {plan_file, line, "keywords"};
        return mpi_fail_at(st, &loc, "%s", mp_last_error());
    }
    size_t hdr = t.nrows;
    int col[NCOL];
    for (size_t r = 0; r < t.nrows && r < 10; r++) {
        if (header_col(t.rows[r], t.ncols[r], COL_KEYWORD) >= 0) {
            hdr = r;
            break;
        }
        if (t.ncols[r] == 1 && out->data_day < 0)
            out->data_day = parse_range_end(t.rows[r][0]);
    }
    mpi_loc floc = {path, 0, NULL};
    if (hdr == t.nrows) {
        mpi_table_free(&t);
        return mpi_fail_at(MP_ERR_INPUT, &floc,
                           "no header row with a \"Keyword\" column in the first 10 lines "
                           "(is this a Keyword Planner export?)");
    }
    for (int c = 0; c < NCOL; c++)
        col[c] = header_col(t.rows[hdr], t.ncols[hdr], c);
    floc.line = t.line[hdr];
    if (col[COL_VOLUME] < 0) {
        mpi_table_free(&t);
        return mpi_fail_at(MP_ERR_INPUT, &floc, "no \"Avg. monthly searches\" column");
    }
    int month_col[12];
    for (int m = 0; m < 12; m++)
        month_col[m] = -1;
    for (size_t c = 0; c < t.ncols[hdr]; c++) {
        const char *h = t.rows[hdr][c];
        if (strncasecmp(h, "Searches:", 9) == 0) {
            const char *mon = h + 9;
            while (*mon == ' ')
                mon++;
            int m = month_index(mon);
            if (m >= 0)
                month_col[m] = (int)c; /* columns ascend: the latest year wins */
        }
    }
    size_t reported = 0;
    for (size_t r = hdr + 1; r < t.nrows; r++) {
        char **row = t.rows[r];
        size_t n = t.ncols[r];
        floc.line = t.line[r];
        if (n == 0 || (n == 1 && !*mpi_trim(row[0])))
            continue;
        const char *why = NULL;
        mpi_keyword k;
        memset(&k, 0, sizeof k);
        k.line = t.line[r];
        k.group = "";
        k.competition = -1;
        k.bid_lo = k.bid_hi = -1;
        int bucketed = 0;
        const char *text = (size_t)col[COL_KEYWORD] < n ? mpi_trim(row[col[COL_KEYWORD]]) : "";
        if (col[COL_CURRENCY] >= 0 && (size_t)col[COL_CURRENCY] < n && *row[col[COL_CURRENCY]]) {
            const char *cur = mpi_trim(row[col[COL_CURRENCY]]);
            if (!mpi_strieq(cur, plan->currency)) {
                mp_status st2 = mpi_fail_at(MP_ERR_INPUT, &floc,
                                            "Currency: the export is in %s but the plan is in %s",
                                            cur, plan->currency);
                mpi_table_free(&t);
                mpi_kwp_free(out);
                return st2;
            }
        }
        if (!*text)
            why = "no keyword";
        else if ((size_t)col[COL_VOLUME] >= n ||
                 kw_num(row[col[COL_VOLUME]], &k.volume, &bucketed) != 0 || k.volume < 0)
            why = "no usable monthly search volume";
        if (!why) {
            if (col[COL_BID_LO] >= 0 && (size_t)col[COL_BID_LO] < n &&
                kw_num(row[col[COL_BID_LO]], &k.bid_lo, &bucketed) != 0)
                k.bid_lo = -1;
            if (col[COL_BID_HI] >= 0 && (size_t)col[COL_BID_HI] < n &&
                kw_num(row[col[COL_BID_HI]], &k.bid_hi, &bucketed) != 0)
                k.bid_hi = -1;
            if (col[COL_COMP_INDEX] >= 0 && (size_t)col[COL_COMP_INDEX] < n &&
                kw_num(row[col[COL_COMP_INDEX]], &k.competition, &bucketed) != 0)
                k.competition = -1;
            if (k.bid_lo > 0 && k.bid_hi > 0 && k.bid_hi < k.bid_lo)
                why = "top of page bid high range is below the low range";
        }
        if (why) {
            out->skipped++;
            if (reported++ < 20)
                mpi_warn(plan, "%s:%d: row skipped: %s", path, k.line, why);
            continue;
        }
        if (is_bucket(k.volume) || bucketed)
            k.flags |= MPI_KW_BUCKETED;
        for (int m = 0; m < 12; m++) {
            k.monthly[m] = -1;
            double v;
            int b2 = 0;
            if (month_col[m] >= 0 && (size_t)month_col[m] < n &&
                kw_num(row[month_col[m]], &v, &b2) == 0 && v >= 0)
                k.monthly[m] = v;
        }
        if (out->n >= MPI_MAX_KEYWORDS) {
            mpi_table_free(&t);
            mpi_kwp_free(out);
            return mpi_fail_at(MP_ERR_LIMIT, &floc, "more than %d keywords", MPI_MAX_KEYWORDS);
        }
        mpi_keyword *nk = mpi_reserve(out->kw, &out->cap, out->n + 1, sizeof *nk);
        k.text = mpi_strdup(text);
        if (!nk || !k.text) {
            free(k.text);
            if (nk)
                out->kw = nk;
            mpi_table_free(&t);
            mpi_kwp_free(out);
            return mpi_fail(MP_ERR_NOMEM, "%s: out of memory", path);
        }
        out->kw = nk;
        out->kw[out->n++] = k;
    }
    if (reported > 20)
        mpi_warn(plan, "%s: %zu more rows skipped", path, reported - 20);
    mpi_table_free(&t);
    if (out->n == 0) {
        floc.line = 0;
        mpi_kwp_free(out);
        return mpi_fail_at(MP_ERR_INPUT, &floc, "no usable keyword row");
    }
    return MP_OK;
}
