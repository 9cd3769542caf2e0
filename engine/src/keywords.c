/* mixplan keywords: read an export and sort it with a rules file, so that a
 * planner can check the rules before optimizing. The report is in the
 * thread's message language (mp_set_message_language()): the reader's. */
#include "adapters.h"

#include <stdlib.h>
#include <string.h>

typedef struct group_sum {
    size_t n;
    double searches, lo, hi, comp, comp_n;
} group_sum;

static void add_kw(group_sum *g, const mpi_keyword *k)
{
    g->n++;
    g->searches += k->volume;
    if (k->bid_lo > 0 && k->bid_hi > 0) {
        g->lo += k->bid_lo * k->volume;
        g->hi += k->bid_hi * k->volume;
    }
    if (k->competition >= 0) {
        g->comp += k->competition;
        g->comp_n++;
    }
}

/* v with dec decimals, a decimal comma in French (no grouping: bids and
 * shares are small). */
static void fmt_dec(mpi_lang l, char *b, size_t n, double v, int dec)
{
    snprintf(b, n, "%.*f", dec, v);
    for (char *p = b; l == MPI_LANG_FR && *p; p++)
        if (*p == '.')
            *p = ',';
}

/* A bid pair right-aligned in widths w1 and w2 after a space each. */
static void put_bids(FILE *out, mpi_lang l, double lo, double hi, int w1, int w2)
{
    char a[32], b[32];
    fmt_dec(l, a, sizeof a, lo, 2);
    fmt_dec(l, b, sizeof b, hi, 2);
    fputc(' ', out);
    mpi_put_right(out, a, w1);
    fputc(' ', out);
    mpi_put_right(out, b, w2);
}

static void print_sum(FILE *out, mpi_lang l, const char *name, int nw, const group_sum *g,
                      double total)
{
    char s[32], v[32], sh[48];
    mpi_fmt_num(l, s, sizeof s, g->searches, 0);
    fmt_dec(l, v, sizeof v, total > 0 ? 100 * g->searches / total : 0, 1);
    snprintf(sh, sizeof sh, l == MPI_LANG_FR ? "%s\u00a0%%" : "%s%%", v);
    mpi_put_name(out, name, nw, 0);
    fprintf(out, " %8zu ", g->n);
    mpi_put_right(out, s, 14);
    fputc(' ', out);
    mpi_put_right(out, sh, 7);
    if (g->searches > 0 && g->lo > 0)
        put_bids(out, l, g->lo / g->searches, g->hi / g->searches, 9, 9);
    else
        fprintf(out, " %9s %9s", "-", "-");
    if (g->comp_n > 0)
        fprintf(out, " %11.0f\n", g->comp / g->comp_n);
    else
        fprintf(out, " %11s\n", "-");
}

/* What mp_keywords_report reads and works out. */
typedef struct kw_report {
    const char *path;
    mpi_kwp kwp;
    mpi_rules *rules; /* NULL without a rules file */
    size_t nr;        /* rules */
    int *cls;         /* [kwp.n] rule index, MPI_RULES_UNMATCHED or MPI_RULES_EXCLUDED */
    group_sum *sums;  /* [nr + 2]: groups, unmatched, excluded */
} kw_report;

/* Sort every keyword into its rule and add it to the rule's sums. */
static mp_status classify_all(kw_report *r)
{
    r->nr = r->rules ? mpi_rules_count(r->rules) : 0;
    r->cls = mpi_calloc(r->kwp.n, sizeof(int));
    r->sums = mpi_calloc(r->nr + 2, sizeof *r->sums);
    if (!r->cls || !r->sums)
        return mpi_nomem();
    for (size_t i = 0; i < r->kwp.n; i++) {
        int c = MPI_RULES_UNMATCHED;
        mp_status st = r->rules ? mpi_rules_classify(r->rules, r->kwp.kw[i].text, &c) : MP_OK;
        if (st != MP_OK)
            return st;
        r->cls[i] = c;
        size_t slot = c >= 0 ? (size_t)c : c == MPI_RULES_UNMATCHED ? r->nr : r->nr + 1;
        add_kw(&r->sums[slot], &r->kwp.kw[i]);
    }
    return MP_OK;
}

/* The name and keyword columns are as wide as their longest entry up to
 * these; a longer one is printed whole on a line of its own. */
#define GROUP_COLS_MAX   28
#define KEYWORD_COLS_MAX 60

/* The name of sums[g]: its rule's group (NULL for an exclusion rule), or
 * the keywords no rule matched, or those excluded. */
static const char *sum_name(mpi_lang l, const kw_report *r, size_t g)
{
    return g < r->nr    ? mpi_rules_name(r->rules, g)
           : g == r->nr ? mpi_tr(l, "(no group)")
                        : mpi_tr(l, "(excluded)");
}

/* Keyword i's group as the tables name it. */
static const char *group_of(mpi_lang l, const kw_report *r, size_t i)
{
    int c = r->cls[i];
    return sum_name(l, r, c >= 0 ? (size_t)c : c == MPI_RULES_UNMATCHED ? r->nr : r->nr + 1);
}

/* The widths of the keyword table's group and keyword columns: the
 * widest heading or entry listed, in terminal columns, up to their caps. */
static void keyword_widths(mpi_lang l, const kw_report *r, int unmatched_only, int *gw, int *kw)
{
    *gw = mpi_text_cols(mpi_trc(l, "keywords column", "group"));
    *kw = mpi_text_cols(mpi_trc(l, "keywords column", "keyword"));
    for (size_t i = 0; i < r->kwp.n; i++) {
        if (unmatched_only && r->cls[i] != MPI_RULES_UNMATCHED)
            continue;
        int g = mpi_text_cols(group_of(l, r, i)), k = mpi_text_cols(r->kwp.kw[i].text);
        *gw = g > *gw ? g : *gw;
        *kw = k > *kw ? k : *kw;
    }
    *gw = *gw < GROUP_COLS_MAX ? *gw : GROUP_COLS_MAX;
    *kw = *kw < KEYWORD_COLS_MAX ? *kw : KEYWORD_COLS_MAX;
}

/* One line a keyword: group, keyword, searches, bids, competition; a group
 * or keyword wider than its column whole on a line of its own, the row going
 * on under its column on the next. */
static void print_keywords(FILE *out, mpi_lang l, const kw_report *r, int unmatched_only)
{
    int gw, kw;
    keyword_widths(l, r, unmatched_only, &gw, &kw);
    fputc('\n', out);
    const mpi_cell head[] = {{mpi_trc(l, "keywords column", "group"), gw, 0},
                             {mpi_trc(l, "keywords column", "keyword"), kw, 0},
                             {mpi_trc(l, "keywords column", "searches/mo"), 12, 1},
                             {mpi_trc(l, "keywords column", "bid low"), 8, 1},
                             {mpi_trc(l, "keywords column", "bid high"), 8, 1},
                             {mpi_trc(l, "keywords column", "comp"), 5, 1}};
    mpi_put_row(out, head, sizeof head / sizeof head[0]);
    fputc('\n', out);
    for (size_t i = 0; i < r->kwp.n; i++) {
        const mpi_keyword *k = &r->kwp.kw[i];
        if (unmatched_only && r->cls[i] != MPI_RULES_UNMATCHED)
            continue;
        char vol[32];
        mpi_fmt_num(l, vol, sizeof vol, k->volume, 0);
        mpi_put_name(out, group_of(l, r, i), gw, 0);
        fputc(' ', out);
        mpi_put_name(out, k->text, kw, gw + 1);
        fputc(' ', out);
        mpi_put_right(out, vol, 12);
        fputs(k->flags & MPI_KW_BUCKETED ? "*" : " ", out);
        if (k->bid_lo > 0 && k->bid_hi > 0)
            put_bids(out, l, k->bid_lo, k->bid_hi, 7, 8);
        else
            fprintf(out, " %7s %8s", "-", "-");
        if (k->competition >= 0)
            fprintf(out, " %5.0f\n", k->competition);
        else
            fprintf(out, " %5s\n", "-");
    }
}

/* The figures per group, then the footnote. */
static void print_groups(FILE *out, mpi_lang l, const kw_report *r)
{
    double total = 0;
    for (size_t g = 0; g < r->nr + 2; g++)
        total += r->sums[g].searches;
    const char *const head[] = {
        mpi_trc(l, "keywords column", "keywords"), mpi_trc(l, "keywords column", "searches/mo"),
        mpi_trc(l, "keywords column", "share"),    mpi_trc(l, "keywords column", "bid low"),
        mpi_trc(l, "keywords column", "bid high"), mpi_trc(l, "keywords column", "competition")};
    static const int width[] = {8, 14, 7, 9, 9, 11};
    const char *group = mpi_trc(l, "keywords column", "group");
    int nw = mpi_text_cols(group); /* as wide as the widest group, up to its cap */
    for (size_t g = 0; g < r->nr + 2; g++) {
        int n = mpi_text_cols(sum_name(l, r, g));
        nw = n > nw ? n : nw;
    }
    nw = nw < GROUP_COLS_MAX ? nw : GROUP_COLS_MAX;
    fputc('\n', out);
    mpi_put_cols(out, group, nw);
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
        fputc(' ', out);
        mpi_put_right(out, head[i], width[i]);
    }
    fputc('\n', out);
    for (size_t g = 0; g < r->nr + 1 + (r->rules != NULL); g++)
        if (sum_name(l, r, g))
            print_sum(out, l, sum_name(l, r, g), nw, &r->sums[g], total);
    fputc('\n', out);
    fputs(mpi_tr(l, "* bucketed volume (Keyword Planner rounds it); bids are volume-weighted means "
                    "of the top-of-page bid ranges"),
          out);
    fputc('\n', out);
}

static void print_report(FILE *out, const kw_report *r, int unmatched_only)
{
    mpi_lang l = mpi_msg_lang();
    char date[32];
    snprintf(date, sizeof date, "%s", mpi_trc(l, "date", "unknown"));
    if (r->kwp.data_day >= 0)
        mpi_fmt_day(l, date, sizeof date, r->kwp.data_day - 1);
    /* what was read and what was left out, each in the planner's words: a
     * skipped row's reason is its warning */
    char read[96], skipped[128];
    snprintf(read, sizeof read, mpi_trn(l, "%zu keyword read", "%zu keywords read", r->kwp.n),
             r->kwp.n);
    if (r->kwp.skipped)
        snprintf(skipped, sizeof skipped,
                 mpi_trn(l, "%zu row skipped (its warning says why)",
                         "%zu rows skipped (the warnings say why)", r->kwp.skipped),
                 r->kwp.skipped);
    else
        snprintf(skipped, sizeof skipped, "%s", mpi_tr(l, "no row skipped"));
    fprintf(out, mpi_tr(l, "%s: %s, %s; currency %s; prices to %s"), r->path, read, skipped,
            r->kwp.currency ? r->kwp.currency : mpi_tr(l, "not given"), date);
    fputc('\n', out);
    print_keywords(out, l, r, unmatched_only);
    print_groups(out, l, r);
}

mp_status mp_keywords_report(const char *export_path, const char *rules_path, int unmatched_only,
                             FILE *out, FILE *warnings)
{
    mpi_clear_error();
    if (!export_path || !out)
        return mpi_fail(MP_ERR_INPUT, N_("mp_keywords_report: no export or output stream given"));
    if (!mpi_utf8_valid(export_path) || (rules_path && !mpi_utf8_valid(rules_path)))
        return mpi_fail(MP_ERR_INPUT, N_("%s: the path is not valid UTF-8: rename the file"),
                        mpi_utf8_valid(export_path) ? rules_path : export_path);
    kw_report r = {.path = export_path};
    mpi_strlist warn = {0};
    mp_status st = mpi_kwp_load(export_path, NULL, &warn, &r.kwp);
    if (st == MP_OK && rules_path)
        st = mpi_rules_load(rules_path, &r.rules);
    if (st == MP_OK)
        st = classify_all(&r);
    if (st == MP_OK) {
        const char *rules_read_as = r.rules ? mpi_rules_note(r.rules) : NULL;
        for (size_t i = 0; warnings && i < 2; i++) { /* files read as Windows-1252 */
            const char *note = i ? rules_read_as : r.kwp.note;
            if (note)
                fprintf(warnings, mpi_tr(mpi_msg_lang(), "read: %s\n"), note);
        }
        for (size_t i = 0; warnings && i < warn.n; i++)
            fprintf(warnings, mpi_tr(mpi_msg_lang(), "warning: %s\n"), warn.v[i]);
        print_report(out, &r, unmatched_only);
    }
    free(r.cls);
    free(r.sums);
    mpi_rules_free(r.rules);
    mpi_kwp_free(&r.kwp);
    mpi_strlist_free(&warn);
    return st;
}
