/* The terminal summary: objective, channels, media split, KPIs, binding rows. */
#include "whatif.h"

#include <string.h>

static const char *period_word(const mp_plan *plan)
{
    return plan->period_kind == MPI_WEEK ? "weeks" : "months";
}

static void fmt(char *b, size_t n, double v)
{
    mpi_fmt_thousands(b, n, v, fabs(v) < 100 && v != 0 ? 1 : 0);
}

mp_status mp_solution_print_summary(const mp_solution *sol, FILE *out)
{
    mpi_clear_error();
    if (!sol || !out)
        return mpi_fail(MP_ERR_INPUT, "mp_solution_print_summary: no solution or no stream given");
    const mp_plan *plan = sol->plan;
    char a[64], b[64], c[64], d[64], e[64], date[16];
    mpi_fmt_date(date, sizeof date, plan->start);
    mpi_fmt_thousands(a, sizeof a, plan->budget, 0);
    fprintf(out, "%s%s%s — %d %s from %s — budget %s %s\n", plan->name, *plan->client ? " — " : "",
            plan->client, plan->periods, period_word(plan), date, a, plan->currency);
    const char *kpi = plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
                      : plan->obj_kpi == MPI_CO2 ? "co2"
                                                 : "cost";
    if (sol->result != MP_RESULT_OPTIMAL && sol->result != MP_RESULT_TIME_LIMIT) {
        fprintf(out, "objective: %s %s -> %s\n", plan->obj_sense > 0 ? "max" : "min", kpi,
                mpi_result_str(sol->result));
        return MP_OK;
    }
    fmt(a, sizeof a, sol->objective);
    fprintf(out, "objective: %s %s -> %s %s (%s%s; curve tolerance %g %%)\n\n",
            plan->obj_sense > 0 ? "max" : "min", kpi, a, mpi_kpi_unit(plan, plan->obj_kpi),
            sol->result == MP_RESULT_OPTIMAL ? "optimal"
                                             : "stopped at the time limit, not proven optimal",
            sol->lp.mip ? ", curves forced in order by a MIP" : "", plan->precision * 100);
    int rq = plan->obj_sense > 0 ? plan->obj_kpi : MPI_CONVERSIONS;
    const char *rname = mpi_kpi_names[rq];
    char unit_per[48];
    static const char *const short_names[MPI_NKPI] = {"", "impr", "clicks", "conv",
                                                      "", "GRP",  "people", "kg"};
    snprintf(unit_per, sizeof unit_per, "marginal %s/k%s",
             rq == MPI_REVENUE ? plan->currency : short_names[rq], plan->currency);
    fprintf(out, "%-18s %-7s %12s %7s %12s %9s  %s\n", "channel", "type", "spend", "share", rname,
            rq == MPI_CONVERSIONS ? "CPA" : "cost/unit", unit_per);
    double total = sol->kpi[MPI_SPEND];
    for (size_t i = 0; i < plan->nch; i++) {
        const mpi_channel *ch = &plan->ch[i];
        double s = MPI_CH_KPI(sol, i, MPI_SPEND), k = MPI_CH_KPI(sol, i, rq);
        mpi_fmt_thousands(a, sizeof a, s, 0);
        fmt(b, sizeof b, k);
        if (k > 0)
            mpi_fmt_thousands(c, sizeof c, s / k, 2);
        else
            snprintf(c, sizeof c, "-");
        if (isnan(sol->ch_marginal[i]))
            snprintf(d, sizeof d, "saturated");
        else
            mpi_fmt_thousands(d, sizeof d, sol->ch_marginal[i] * 1000, 2);
        mpi_put_cols(out, ch->name, 18);
        fprintf(out, " %-7s %12s %6.1f%% %12s %9s  %s\n", ch->ops->media, a,
                total > 0 ? 100 * s / total : 0, b, c, d);
    }
    mpi_fmt_thousands(a, sizeof a, total, 0);
    fmt(b, sizeof b, sol->kpi[rq]);
    if (sol->kpi[rq] > 0)
        mpi_fmt_thousands(c, sizeof c, total / sol->kpi[rq], 2);
    else
        snprintf(c, sizeof c, "-");
    fprintf(out, "%-18s %-7s %12s %6.1f%% %12s %9s\n\n", "total", "", a, total > 0 ? 100.0 : 0, b,
            c);
    /* Media split. */
    fprintf(out, "media:");
    double digital = 0;
    for (size_t m = 0; m < mpi_media_family_count(); m++) {
        double s = 0;
        int any = 0;
        for (size_t i = 0; i < plan->nch; i++)
            if (mpi_media_of(&plan->ch[i]) == m) {
                s += MPI_CH_KPI(sol, i, MPI_SPEND);
                any = 1;
            }
        if (any)
            fprintf(out, " %s %.1f%%", mpi_media_name(m), total > 0 ? 100 * s / total : 0);
    }
    for (size_t i = 0; i < plan->nch; i++)
        if (plan->ch[i].digital)
            digital += MPI_CH_KPI(sol, i, MPI_SPEND);
    fprintf(out, "; digital %.1f%%, offline %.1f%%\n", total > 0 ? 100 * digital / total : 0,
            total > 0 ? 100 * (total - digital) / total : 0);
    fmt(a, sizeof a, sol->kpi[MPI_IMPRESSIONS]);
    fmt(b, sizeof b, sol->kpi[MPI_CLICKS]);
    fmt(c, sizeof c, sol->kpi[MPI_CONVERSIONS]);
    fmt(d, sizeof d, sol->kpi[MPI_REVENUE]);
    fmt(e, sizeof e, sol->kpi[MPI_GRP]);
    fprintf(out, "kpis: impressions %s, clicks %s, conversions %s, revenue %s %s, GRP %s", a, b, c,
            d, plan->currency, e);
    fmt(a, sizeof a, sol->kpi[MPI_REACH]);
    fmt(b, sizeof b, sol->kpi[MPI_CO2]);
    fprintf(out, ", reach %s people, CO2e %s kg\n", a, b);
    /* Binding constraints with what they cost. */
    const mpi_lp *lp = &sol->model.lp;
    int first = 1;
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (!sol->rows[r].binding || row->kind == MPI_ROW_REACH_LINK)
            continue;
        fprintf(out, "%s", first ? "binding: " : ", ");
        first = 0;
        const char *label =
            row->kind == MPI_ROW_CONSTRAINT ? sol->plan->cons[row->ref].name : row->name;
        double dual = sol->rows[r].dual;
        if (isnan(dual))
            fprintf(out, "%s", label);
        else if (fabs(dual) * plan->budget <= 1e-4 * fabs(sol->objective))
            fprintf(out, "%s (at no cost)", label); /* moving it by the budget changes nothing */
        else if (row->kind == MPI_ROW_CONSTRAINT && plan->cons[row->ref].e.measure == MPI_M_KPI &&
                 plan->cons[row->ref].e.kpi != MPI_SPEND)
            fprintf(out, "%s (1 more %s -> %+.4g %s)", label,
                    mpi_kpi_names[plan->cons[row->ref].e.kpi], dual, kpi);
        else if (row->kind == MPI_ROW_CONSTRAINT && plan->cons[row->ref].e.measure != MPI_M_KPI)
            fprintf(out, "%s (dual %.4g)", label, dual);
        else
            fprintf(out, "%s (1 k%s more -> %+.4g %s)", label, plan->currency, dual * 1000, kpi);
    }
    if (!first)
        fprintf(out, "\n");
    return MP_OK;
}

static void fmt_axis(char *b, size_t n, const mpi_axis *a, double v)
{
    if (a->pct)
        snprintf(b, n, "%.4g %%", 100 * v);
    else
        mpi_fmt_thousands(b, n, v, fabs(v) < 100 ? 2 : 0);
}

mp_status mp_whatif_print_summary(const mp_whatif *w, FILE *out)
{
    mpi_clear_error();
    if (!w || !out)
        return mpi_fail(MP_ERR_INPUT, "mp_whatif_print_summary: no what-if run or no stream given");
    const mp_plan *plan = w->plan;
    const mp_solution *base = w->base;
    char a[64], b[64];
    mpi_fmt_thousands(a, sizeof a, plan->budget, 0);
    fprintf(out, "%s%s%s — budget %s %s\n", plan->name, *plan->client ? " — " : "", plan->client, a,
            plan->currency);
    const char *kpi = plan->obj_sense > 0        ? mpi_kpi_names[plan->obj_kpi]
                      : plan->obj_kpi == MPI_CO2 ? "co2"
                                                 : "cost";
    int base_ok = base->result == MP_RESULT_OPTIMAL || base->result == MP_RESULT_TIME_LIMIT;
    if (base_ok) {
        fmt(a, sizeof a, base->objective);
        fprintf(out, "base plan: %s %s -> %s %s\n", plan->obj_sense > 0 ? "max" : "min", kpi, a,
                mpi_kpi_unit(plan, plan->obj_kpi));
    } else {
        fprintf(out, "base plan: %s\n", mpi_result_str(base->result));
    }
    fprintf(out, "%zu scenarios (%s), solved in %.2f s\n\n", w->ns,
            w->cold ? "each from scratch" : "each from the previous optimal basis", w->sweep_s);
    for (size_t x = 0; x < w->nax; x++)
        fprintf(out, "%-14.14s ", w->ax[x].label);
    fprintf(out, "%-10s %12s %9s", "status", kpi, "vs base");
    for (size_t m = 0; m < mpi_media_count(); m++) {
        int any = 0;
        for (size_t c = 0; c < plan->nch; c++)
            any |= m < mpi_media_family_count() ? mpi_media_of(&plan->ch[c]) == m : 1;
        if (any)
            fprintf(out, " %7.7s", mpi_media_name(m));
    }
    fprintf(out, "  marginal/k%s\n", plan->currency);
    for (size_t i = 0; i < w->ns; i++) {
        const mpi_scen *s = &w->s[i];
        for (size_t x = 0; x < w->nax; x++) {
            fmt_axis(a, sizeof a, &w->ax[x], w->ax[x].values[s->idx[x]]);
            fprintf(out, "%-14s ", a);
        }
        fprintf(out, "%-10s", mpi_result_str(s->result));
        if (!mpi_scen_solved(s)) {
            fprintf(out, "  %s\n", s->explain ? s->explain : "");
            continue;
        }
        fmt(a, sizeof a, s->objective);
        if (base_ok)
            snprintf(b, sizeof b, "%+.1f%%",
                     base->objective != 0 ? 100 * (s->objective / base->objective - 1) : 0);
        else
            snprintf(b, sizeof b, "-");
        fprintf(out, " %12s %9s", a, b);
        double total = s->kpi[MPI_SPEND];
        for (size_t m = 0; m < mpi_media_count(); m++) {
            int any = 0;
            for (size_t c = 0; c < plan->nch; c++)
                any |= m < mpi_media_family_count() ? mpi_media_of(&plan->ch[c]) == m : 1;
            if (any)
                fprintf(out, " %6.1f%%", total > 0 ? 100 * s->media[m] / total : 0);
        }
        if (isnan(s->marginal))
            fprintf(out, "  n/a\n");
        else
            fprintf(out, "  %.4g\n", s->marginal * 1000);
    }
    return MP_OK;
}
