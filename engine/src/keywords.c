/* mixplan keywords: read an export and sort it with a rules file, so that a
 * planner can check the rules before optimizing. */
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

static void print_sum(FILE *out, const char *name, const group_sum *g, double total)
{
    char s[32];
    mpi_fmt_thousands(s, sizeof s, g->searches, 0);
    mpi_put_cols(out, name, 20);
    fprintf(out, " %8zu %14s %6.1f%%", g->n, s, total > 0 ? 100 * g->searches / total : 0);
    if (g->searches > 0 && g->lo > 0)
        fprintf(out, " %9.2f %9.2f", g->lo / g->searches, g->hi / g->searches);
    else
        fprintf(out, " %9s %9s", "-", "-");
    if (g->comp_n > 0)
        fprintf(out, " %11.0f\n", g->comp / g->comp_n);
    else
        fprintf(out, " %11s\n", "-");
}

mp_status mp_keywords_report(const char *export_path, const char *rules_path, int unmatched_only,
                             FILE *out, FILE *warnings)
{
    mpi_clear_error();
    mpi_strlist warn = {0};
    mpi_kwp kwp;
    mp_status st = mpi_kwp_load(export_path, NULL, &warn, &kwp);
    if (st != MP_OK) {
        mpi_strlist_free(&warn);
        return st;
    }
    mpi_rules *rules = NULL;
    if (rules_path && (st = mpi_rules_load(rules_path, &rules)) != MP_OK) {
        mpi_kwp_free(&kwp);
        mpi_strlist_free(&warn);
        return st;
    }
    size_t nr = rules ? mpi_rules_count(rules) : 0;
    int *cls = mpi_calloc(kwp.n, sizeof(int));
    group_sum *sums = mpi_calloc(nr + 2, sizeof *sums); /* groups, unmatched, excluded */
    if (!cls || !sums)
        st = mpi_fail(MP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == MP_OK && i < kwp.n; i++) {
        cls[i] = MPI_RULES_UNMATCHED;
        if (rules)
            st = mpi_rules_classify(rules, kwp.kw[i].text, &cls[i]);
        if (st == MP_OK)
            add_kw(&sums[cls[i] >= 0                     ? (size_t)cls[i]
                         : cls[i] == MPI_RULES_UNMATCHED ? nr
                                                         : nr + 1],
                   &kwp.kw[i]);
    }
    if (st == MP_OK) {
        for (size_t i = 0; warnings && i < warn.n; i++)
            fprintf(warnings, "warning: %s\n", warn.v[i]);
        char date[16] = "unknown";
        if (kwp.data_day >= 0)
            mpi_fmt_date(date, sizeof date, kwp.data_day - 1);
        fprintf(out, "%s: %zu keyword rows used, %zu skipped; currency %s; prices to %s\n",
                export_path, kwp.n, kwp.skipped, kwp.currency ? kwp.currency : "not given", date);
        fprintf(out, "\n%-20s %-40s %12s %8s %8s %5s\n", "group", "keyword", "searches/mo",
                "bid low", "bid high", "comp");
        for (size_t i = 0; i < kwp.n; i++) {
            const mpi_keyword *k = &kwp.kw[i];
            if (unmatched_only && cls[i] != MPI_RULES_UNMATCHED)
                continue;
            const char *g = cls[i] >= 0                    ? mpi_rules_name(rules, (size_t)cls[i])
                            : cls[i] == MPI_RULES_EXCLUDED ? "(excluded)"
                                                           : "(no group)";
            char vol[32];
            mpi_fmt_thousands(vol, sizeof vol, k->volume, 0);
            mpi_put_cols(out, g, 20);
            fputc(' ', out);
            mpi_put_cols(out, k->text, 40);
            fprintf(out, " %12s%s", vol, k->flags & MPI_KW_BUCKETED ? "*" : " ");
            if (k->bid_lo > 0 && k->bid_hi > 0)
                fprintf(out, " %7.2f %8.2f", k->bid_lo, k->bid_hi);
            else
                fprintf(out, " %7s %8s", "-", "-");
            if (k->competition >= 0)
                fprintf(out, " %5.0f\n", k->competition);
            else
                fprintf(out, " %5s\n", "-");
        }
        double total = 0;
        for (size_t g = 0; g < nr + 2; g++)
            total += sums[g].searches;
        fprintf(out, "\n%-20s %8s %14s %7s %9s %9s %11s\n", "group", "keywords", "searches/mo",
                "share", "bid low", "bid high", "competition");
        for (size_t g = 0; g < nr; g++)
            if (mpi_rules_name(rules, g))
                print_sum(out, mpi_rules_name(rules, g), &sums[g], total);
        print_sum(out, "(no group)", &sums[nr], total);
        if (rules)
            print_sum(out, "(excluded)", &sums[nr + 1], total);
        fprintf(out, "\n* bucketed volume (Keyword Planner rounds it); bids are "
                     "volume-weighted means of the top-of-page bid ranges\n");
    }
    free(cls);
    free(sums);
    mpi_rules_free(rules);
    mpi_kwp_free(&kwp);
    mpi_strlist_free(&warn);
    return st;
}
