/* Google Ads Keyword Planner exports ("Keyword Stats") as planners download
 * them, or as Excel re-saves them: UTF-16LE, UTF-8 or Windows-1252, tab,
 * comma or semicolon (the CSV reader detects both from the bytes), a title and a date range above
 * the header, columns matched by name in the English or French interface, localised numbers. */
#include "adapters.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    COL_KEYWORD,
    COL_CURRENCY,
    COL_VOLUME,
    COL_COMPETITION,
    COL_COMP_INDEX,
    COL_BID_LO,
    COL_BID_HI,
    NCOL
};

/* Header names, compared after folding case, accents and punctuation away. */
static const char *const col_names[NCOL][4] = {
    {"Keyword", "Mot clé", "Mot-clé", NULL},
    {"Currency", "Devise", NULL, NULL},
    {"Avg. monthly searches", "Nombre moyen de recherches mensuelles",
     "Moyenne des recherches mensuelles", NULL},
    {"Competition", "Concurrence", NULL, NULL},
    {"Competition (indexed value)", "Concurrence (valeur indexée)",
     "Concurrence (valeur de l'index)", NULL},
    {"Top of page bid (low range)", "Enchère en haut de page (plage basse)",
     "Enchère en haut de page (fourchette basse)", "Enchère haut de page (plage basse)"},
    {"Top of page bid (high range)", "Enchère en haut de page (plage haute)",
     "Enchère en haut de page (fourchette haute)", "Enchère haut de page (plage haute)"},
};

/* Month names and abbreviations, English and French, folded. */
static const char *const month_names[12][4] = {
    {"jan", "january", "janv", "janvier"},
    {"feb", "february", "fevr", "fevrier"},
    {"mar", "march", "mars", NULL},
    {"apr", "april", "avr", "avril"},
    {"may", "mai", NULL, NULL},
    {"jun", "june", "juin", NULL},
    {"jul", "july", "juil", "juillet"},
    {"aug", "august", "aout", NULL},
    {"sep", "september", "sept", "septembre"},
    {"oct", "october", "octobre", NULL},
    {"nov", "november", "novembre", NULL},
    {"dec", "december", "decembre", NULL},
};

/* Lower-case ASCII letters and digits of s, accents folded (UTF-8 Latin-1
 * letters), everything else dropped: "Enchère (plage basse)" -> "encheraplagebasse". */
static void fold(const char *s, char *out, size_t n)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 1 < n; p++) {
        unsigned char c = *p;
        if (c == 0xC3 && p[1]) {
            unsigned char d = p[1] | 0x20; /* lower-case Latin-1 in its second byte */
            p++;
            char base = 0;
            if (d >= 0xA0 && d <= 0xA5)
                base = 'a';
            else if (d == 0xA7)
                base = 'c';
            else if (d >= 0xA8 && d <= 0xAB)
                base = 'e';
            else if (d >= 0xAC && d <= 0xAF)
                base = 'i';
            else if (d >= 0xB2 && d <= 0xB6)
                base = 'o';
            else if (d >= 0xB9 && d <= 0xBC)
                base = 'u';
            if (base)
                out[o++] = base;
            continue;
        }
        if (isalnum(c) && c < 128)
            out[o++] = (char)tolower(c);
    }
    out[o] = '\0';
}

static int fold_eq(const char *cell, const char *name)
{
    char a[128], b[128];
    fold(cell, a, sizeof a);
    fold(name, b, sizeof b);
    return *a && !strcmp(a, b);
}

/* The month a word names (January = 0), or -1. */
static int month_word(const char *w)
{
    char f[32];
    fold(w, f, sizeof f);
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < 4; k++)
            if (month_names[m][k] && !strcmp(f, month_names[m][k]))
                return m;
    return -1;
}

/* "Searches: Jun 2025", "Recherches : juin 2025", "Recherches: janv. 2025" -> month. */
static int month_column(const char *h)
{
    char f[16];
    const char *colon = strchr(h, ':');
    if (!colon)
        return -1;
    size_t n = (size_t)(colon - h);
    char head[32];
    if (n >= sizeof head)
        return -1;
    memcpy(head, h, n);
    head[n] = '\0';
    fold(head, f, sizeof f);
    if (strcmp(f, "searches") != 0 && strcmp(f, "recherches") != 0)
        return -1;
    const char *p = colon + 1;
    while (*p == ' ')
        p++;
    char word[32];
    size_t i = 0;
    while (*p && *p != ' ' && *p != '.' && i + 1 < sizeof word)
        word[i++] = *p++;
    word[i] = '\0';
    return month_word(word);
}

/* The number a date word starts with ("31," -> 31), or -1 when it starts
 * with none. */
static int leading_int(const char *w)
{
    char *end;
    errno = 0;
    long v = strtol(w, &end, 10);
    if (end == w || errno || v < 0 || v > INT_MAX)
        return -1;
    return (int)v;
}

/* The day after a date range's end: "June 1, 2025 - May 31, 2026" or
 * "1 juin 2025 – 31 mai 2026"; -1 when the line is no such range. */
static long parse_range_end(const char *s)
{
    const char *sep = strstr(s, " - ");
    size_t skip = 3;
    if (!sep) {
        sep = strstr(s, " \xE2\x80\x93 "); /* en dash */
        skip = 5;
    }
    if (!sep)
        return -1;
    const char *e = sep + skip;
    char w1[32] = "", w2[32] = "", w3[32] = "";
    if (sscanf(e, "%31s %31s %31s", w1, w2, w3) != 3)
        return -1;
    int d, y, m;
    if ((m = month_word(w1)) >= 0) { /* May 31, 2026 */
        d = leading_int(w2);
        y = leading_int(w3);
    } else { /* 31 mai 2026 */
        d = leading_int(w1);
        m = month_word(w2);
        y = leading_int(w3);
    }
    if (m < 0 || d < 1 || d > 31 || y < 1990 || y > 2200 || d > mpi_days_in_month(y, m + 1))
        return -1;
    return mpi_days_from_civil(y, m + 1, d) + 1;
}

/* in without its spaces (no-break ones too), dashes as '~'; returns the length. */
static size_t squeeze(const char *in, char *buf, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)in; *s && o + 1 < cap; s++) {
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
        if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94)) { /* dashes */
            buf[o++] = '~';
            s += 2;
            continue;
        }
        buf[o++] = (char)*s;
    }
    buf[o] = '\0';
    return o;
}

/* Digits with at most one decimal point among them, as an export writes most
 * of its figures: *out is the double mpi_parse_num would give (there is no
 * sign, unit, range or space to look at); 0 for any other text. Up to 15
 * digits the value is whole digits m over 10^k, both exact doubles, and one
 * division rounds it as strtod does (correctly); longer ones go to strtod. */
static int plain_decimal(const char *s, double *out)
{
    static const double pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t m = 0;
    int digits = 0, decimals = -1; /* -1: no point yet */
    const char *p = s;
    for (; *p; p++) {
        if (*p == '.' && decimals < 0 && digits > 0)
            decimals = 0;
        else if (*p >= '0' && *p <= '9') {
            m = 10 * m + (uint64_t)(*p - '0');
            digits++;
            decimals += decimals >= 0;
        } else
            return 0;
    }
    if (!digits)
        return 0;
    if (digits > 15)
        *out = strtod(s, NULL);
    else
        *out = (double)m / pow10[decimals > 0 ? decimals : 0];
    return 1;
}

/* Numbers as Keyword Planner and spreadsheets write them: "1,27" (decimal
 * comma), "1,000", "5 000", "-90 %", "1K – 10K" (a range: its geometric middle). */
static int kw_num(const char *in, double *out, int *bucketed)
{
    char buf[96];
    size_t o = squeeze(in, buf, sizeof buf);
    if (!o || !strcmp(buf, "--") || !strcmp(buf, "-"))
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
    if (plain_decimal(buf, out)) /* most cells: what mpi_parse_num gives, without its checks */
        return 0;
    const char *why;
    if (mpi_parse_num(buf, MPI_U_KM | MPI_U_PCT, NULL, out, &why) != 0) {
        /* thousands with a capital K as Keyword Planner writes them: 1K, 10K */
        size_t l = strlen(buf);
        if (l > 1 && buf[l - 1] == 'K') {
            buf[l - 1] = 'k';
            return mpi_parse_num(buf, MPI_U_KM, NULL, out, &why) == 0 ? 0 : -1;
        }
        return -1;
    }
    return 0;
}

static int is_bucket(double v)
{
    for (double p = 10; p <= 1e9; p *= 10)
        if (v == p || v == 5 * p)
            return 1;
    return 0;
}

/* Competition as a level when no index is given: the middle of its third. */
static double competition_level(const char *s)
{
    char f[32];
    fold(s, f, sizeof f);
    if (!strcmp(f, "low") || !strcmp(f, "faible"))
        return 100.0 / 6;
    if (!strcmp(f, "medium") || !strcmp(f, "moyenne") || !strcmp(f, "moyen"))
        return 50;
    if (!strcmp(f, "high") || !strcmp(f, "elevee") || !strcmp(f, "eleve"))
        return 500.0 / 6;
    return -1;
}

static int header_col(char **row, size_t n, int which)
{
    for (size_t c = 0; c < n; c++)
        for (int k = 0; k < 4; k++)
            if (col_names[which][k] && fold_eq(row[c], col_names[which][k]))
                return (int)c;
    return -1;
}

static const char *cell(char **row, size_t n, int col)
{
    return col >= 0 && (size_t)col < n ? row[col] : "";
}

/* One export being read. */
typedef struct kwp_reader {
    const char *path, *currency; /* the plan's currency, or NULL */
    mpi_strlist *warn;
    mpi_kwp *out;
    size_t rows;   /* rows seen so far */
    int have_head; /* the header row was seen: the rows after it are keywords */
    int col[NCOL];
    int month_col[12]; /* "Searches: Mon YYYY" columns, -1: none */
    mpi_loc floc;
    size_t reported; /* rows skipped */
    int first_line;  /* the first skipped row and why */
    const char *first_why;
} kwp_reader;

static mp_status no_header(kwp_reader *rd)
{
    return mpi_fail_at(MP_ERR_INPUT, &rd->floc,
                       N_("no header row with a \"Keyword\" (or \"%s\") column in the first "
                          "10 lines: is this a Keyword Planner export?"),
                       "Mot clé");
}

/* Which column holds what, by the header's names. */
static mp_status map_columns(kwp_reader *rd, char **head, size_t n, int line)
{
    for (int c = 0; c < NCOL; c++)
        rd->col[c] = header_col(head, n, c);
    rd->floc.line = line;
    if (rd->col[COL_VOLUME] < 0)
        return mpi_fail_at(MP_ERR_INPUT, &rd->floc, N_("no \"Avg. monthly searches\" column"));
    for (int m = 0; m < 12; m++)
        rd->month_col[m] = -1;
    for (size_t c = 0; c < n; c++) {
        int m = month_column(head[c]);
        if (m >= 0)
            rd->month_col[m] = (int)c; /* columns ascend: the latest year wins */
    }
    return MP_OK;
}

/* A row before the header: the header itself (a "Keyword" column), or a line
 * that may hold the export's date range. Only the first 10 rows are looked at. */
static mp_status find_header(kwp_reader *rd, char **row, size_t n, int line)
{
    if (rd->rows >= 10)
        return no_header(rd);
    if (header_col(row, n, COL_KEYWORD) >= 0) {
        rd->have_head = 1;
        return map_columns(rd, row, n, line);
    }
    for (size_t c = 0; c < n && rd->out->data_day < 0; c++)
        rd->out->data_day = parse_range_end(row[c]);
    return MP_OK;
}

/* A row's currency must be the plan's; the first one seen is the export's. */
static mp_status row_currency(kwp_reader *rd, const char *cur)
{
    if (*cur && rd->currency && !mpi_strieq(cur, rd->currency))
        return mpi_fail_at(MP_ERR_INPUT, &rd->floc,
                           N_("Currency: the export is in %s but the plan is in %s"), cur,
                           rd->currency);
    if (*cur && !rd->out->currency && !(rd->out->currency = mpi_strdup(cur)))
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory"), rd->path);
    return MP_OK;
}

/* A keyword's figures from its row; why a row is unusable, or NULL. */
static const char *row_figures(const kwp_reader *rd, char **row, size_t n, mpi_keyword *k)
{
    const int *col = rd->col;
    int bucketed = 0;
    if (kw_num(cell(row, n, col[COL_VOLUME]), &k->volume, &bucketed) != 0 || k->volume < 0)
        return N_("no usable monthly search volume");
    if (kw_num(cell(row, n, col[COL_BID_LO]), &k->bid_lo, &bucketed) != 0 || k->bid_lo <= 0)
        k->bid_lo = -1;
    if (kw_num(cell(row, n, col[COL_BID_HI]), &k->bid_hi, &bucketed) != 0 || k->bid_hi <= 0)
        k->bid_hi = -1;
    int dummy = 0;
    if (kw_num(cell(row, n, col[COL_COMP_INDEX]), &k->competition, &dummy) != 0 ||
        k->competition < 0 || k->competition > 100)
        k->competition = competition_level(cell(row, n, col[COL_COMPETITION]));
    if (k->bid_lo > 0 && k->bid_hi > 0 && k->bid_hi < k->bid_lo)
        return N_("top of page bid high range is below the low range");
    if (is_bucket(k->volume) || bucketed)
        k->flags |= MPI_KW_BUCKETED;
    for (int m = 0; m < 12; m++) {
        k->monthly[m] = -1;
        double v;
        int b2 = 0;
        if (kw_num(cell(row, n, rd->month_col[m]), &v, &b2) == 0 && v >= 0)
            k->monthly[m] = v;
    }
    return NULL;
}

/* Count a skipped row; the first 20 are warned about one by one. */
static mp_status skip_row(kwp_reader *rd, int line, const char *why)
{
    if (!rd->first_why) {
        rd->first_why = why;
        rd->first_line = line;
    }
    rd->out->skipped++;
    if (rd->warn && rd->reported++ < 20 &&
        mpi_strlist_addf(rd->warn, mpi_tr(mpi_msg_lang(), N_("%s:%d: row skipped: %s")), rd->path,
                         line, mpi_tr(mpi_msg_lang(), why)) != MP_OK)
        return mpi_nomem();
    return MP_OK;
}

/* A keyword longer than a workbook cell holds is kept whole (the JSON has it) and cut in the
 * workbook: say so, rather than let it change without a word. */
static mp_status warn_if_too_long(kwp_reader *rd, int line, const char *text)
{
    size_t units = 0;
    mpi_utf8_cut_units(text, MPI_MAX_CELL_UNITS, &units);
    if (!rd->warn || units <= MPI_MAX_CELL_UNITS)
        return MP_OK;
    if (mpi_strlist_addf(rd->warn,
                         "%s:%d: keyword of %zu characters: the workbook shows its first %d "
                         "(Excel's limit for a cell); the JSON keeps it whole",
                         rd->path, line, units, MPI_MAX_CELL_UNITS) != MP_OK)
        return mpi_nomem();
    return MP_OK;
}

static mp_status keep_keyword(kwp_reader *rd, mpi_keyword *k, const char *text)
{
    mpi_kwp *out = rd->out;
    if (out->n >= MPI_MAX_KEYWORDS)
        return mpi_fail_at(MP_ERR_LIMIT, &rd->floc, N_("more than %d keywords"), MPI_MAX_KEYWORDS);
    mpi_keyword *nk = mpi_reserve(out->kw, &out->cap, out->n + 1, sizeof *nk);
    if (nk)
        out->kw = nk;
    k->text = mpi_strdup(text);
    if (!nk || !k->text) {
        free(k->text);
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory"), rd->path);
    }
    out->kw[out->n++] = *k;
    return warn_if_too_long(rd, k->line, text);
}

/* A data row: a keyword kept, a row skipped, or nothing for a blank line. */
static mp_status read_row(kwp_reader *rd, char **row, size_t n, int line)
{
    rd->floc.line = line;
    if (n == 0 || (n == 1 && !*mpi_trim(row[0])))
        return MP_OK;
    mpi_keyword k;
    memset(&k, 0, sizeof k);
    k.line = line;
    k.group = "";
    k.group_id = -1;
    k.competition = -1;
    k.bid_lo = k.bid_hi = -1;
    /* a short row may end before the keyword column */
    const char *text = (size_t)rd->col[COL_KEYWORD] < n ? mpi_trim(row[rd->col[COL_KEYWORD]]) : "";
    mp_status st = row_currency(rd, mpi_trim((char *)cell(row, n, rd->col[COL_CURRENCY])));
    if (st != MP_OK)
        return st;
    const char *why = *text ? row_figures(rd, row, n, &k) : N_("no keyword");
    return why ? skip_row(rd, k.line, why) : keep_keyword(rd, &k, text);
}

/* The count of rows skipped past the first 20, and an export with no
 * keyword left is an error that says why its first row was skipped. */
static mp_status finish(kwp_reader *rd)
{
    if (rd->warn && rd->reported > 20 &&
        mpi_strlist_addf(rd->warn, mpi_tr(mpi_msg_lang(), N_("%s: %zu more rows skipped")),
                         rd->path, rd->reported - 20) != MP_OK)
        return mpi_nomem();
    if (!rd->have_head)
        return no_header(rd);
    if (rd->out->n > 0)
        return MP_OK;
    rd->floc.line = 0;
    if (rd->first_why)
        return mpi_fail_at(MP_ERR_INPUT, &rd->floc,
                           N_("no usable keyword row (%zu skipped; line %d: %s)"), rd->out->skipped,
                           rd->first_line, mpi_tr(mpi_msg_lang(), rd->first_why));
    return mpi_fail_at(MP_ERR_INPUT, &rd->floc, N_("no usable keyword row"));
}

/* Each row of the export as it is read: the lines above the header, the
 * header, then keywords (no row is kept but the keywords). */
static mp_status on_row(void *ctx, char **row, size_t n, int line)
{
    kwp_reader *rd = ctx;
    mp_status st = rd->have_head ? read_row(rd, row, n, line) : find_header(rd, row, n, line);
    rd->rows++;
    return st;
}

mp_status mpi_kwp_load(const char *path, const char *currency, mpi_strlist *warn, mpi_kwp *out)
{
    memset(out, 0, sizeof *out);
    out->data_day = -1;
    kwp_reader rd;
    memset(&rd, 0, sizeof rd);
    rd.path = path;
    rd.currency = currency;
    rd.warn = warn;
    rd.out = out;
    rd.floc = (mpi_loc){path, 0, NULL};
    /* the export keeps how it was read */
    mp_status st = mpi_table_each(path, 0, on_row, &rd, &out->note);
    if (st == MP_OK)
        st = finish(&rd);
    if (st != MP_OK)
        mpi_kwp_free(out);
    return st;
}
