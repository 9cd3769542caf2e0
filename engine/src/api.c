/* Reading a solution and a what-if run through the public accessors. Each
 * returns the figure the JSON result holds (json_report.c), with the same
 * filters; a NULL handle or an index out of range gives NAN, NULL, 0 or -1,
 * never a crash. */
#include "whatif.h"

#include <stdlib.h>
#include <string.h>

_Static_assert((int)MP_KPI_COUNT == MPI_NKPI, "mp_kpi and mpi_kpi list the same KPIs");
_Static_assert((int)MP_KPI_CO2 == MPI_CO2 && (int)MP_KPI_REACH == MPI_REACH,
               "mp_kpi and mpi_kpi number the KPIs alike");

static int kpi_ok(mp_kpi kpi)
{
    return (int)kpi >= 0 && (int)kpi < MPI_NKPI;
}

/* A solution with figures: optimal, or stopped at the time limit with a plan. */
static int solved(const mp_solution *sol)
{
    return sol && (sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT);
}

const char *mp_kpi_name(mp_kpi kpi)
{
    return kpi_ok(kpi) ? mpi_kpi_names[kpi] : NULL;
}

const char *mp_result_name(mp_result result)
{
    return (int)result >= MP_RESULT_OPTIMAL && result <= MP_RESULT_TIME_LIMIT
               ? mpi_result_str(result)
               : NULL;
}

const char *mp_solution_currency(const mp_solution *sol)
{
    return sol ? sol->plan->currency : NULL;
}

double mp_solution_kpi(const mp_solution *sol, mp_kpi kpi)
{
    return solved(sol) && kpi_ok(kpi) ? sol->kpi[kpi] : NAN;
}

double mp_solution_reach_dedup(const mp_solution *sol)
{
    return solved(sol) ? sol->reach_dedup : NAN;
}

/* ---- media families ----------------------------------------------------- */

size_t mp_media_count(void)
{
    return MPI_NMEDIA;
}

const char *mp_media_name(size_t m)
{
    return m < MPI_NMEDIA ? mpi_media_names[m] : NULL;
}

/* Index of a media family by name, or -1. */
static long media_index(const char *media)
{
    for (size_t m = 0; media && m < MPI_NMEDIA; m++)
        if (!strcmp(media, mpi_media_names[m]))
            return (long)m;
    return -1;
}

double mp_solution_media_spend(const mp_solution *sol, const char *media)
{
    long m = media_index(media);
    if (!solved(sol) || m < 0)
        return NAN;
    double v[MPI_NMEDIA];
    mpi_media_split(sol, v);
    return v[m];
}

/* ---- channels and periods ------------------------------------------------ */

size_t mp_solution_channel_count(const mp_solution *sol)
{
    return sol ? sol->plan->nch : 0;
}

static const mpi_channel *channel(const mp_solution *sol, size_t c)
{
    return sol && c < sol->plan->nch ? &sol->plan->ch[c] : NULL;
}

const char *mp_solution_channel_name(const mp_solution *sol, size_t c)
{
    const mpi_channel *ch = channel(sol, c);
    return ch ? ch->name : NULL;
}

const char *mp_solution_channel_type(const mp_solution *sol, size_t c)
{
    const mpi_channel *ch = channel(sol, c);
    return ch ? ch->ops->type : NULL;
}

int mp_solution_channel_digital(const mp_solution *sol, size_t c)
{
    const mpi_channel *ch = channel(sol, c);
    return ch ? ch->digital != 0 : -1;
}

double mp_solution_channel_kpi(const mp_solution *sol, size_t c, mp_kpi kpi)
{
    return solved(sol) && channel(sol, c) && kpi_ok(kpi) ? MPI_CH_KPI(sol, c, kpi) : NAN;
}

double mp_solution_channel_spend(const mp_solution *sol, size_t c)
{
    return mp_solution_channel_kpi(sol, c, MP_KPI_SPEND);
}

double mp_solution_channel_share(const mp_solution *sol, size_t c)
{
    double s = mp_solution_channel_spend(sol, c);
    if (isnan(s))
        return NAN;
    double total = sol->kpi[MPI_SPEND];
    return total > 0 ? s / total : 0;
}

double mp_solution_channel_marginal(const mp_solution *sol, size_t c)
{
    return solved(sol) && channel(sol, c) ? sol->ch_marginal[c] : NAN;
}

size_t mp_solution_period_count(const mp_solution *sol)
{
    return sol ? (size_t)sol->plan->periods : 0;
}

mp_status mp_solution_period_start(const mp_solution *sol, size_t t, char *buf, size_t n)
{
    if (!sol || !buf || t >= (size_t)sol->plan->periods)
        return mpi_fail(MP_ERR_INPUT, "no period %zu", t);
    if (n < 11)
        return mpi_fail(MP_ERR_INPUT, "a date needs 11 bytes, not %zu", n);
    mpi_fmt_date(buf, n, sol->plan->period_start[t]);
    return MP_OK;
}

double mp_solution_period_kpi(const mp_solution *sol, size_t c, size_t t, mp_kpi kpi)
{
    if (!solved(sol) || !channel(sol, c) || t >= (size_t)sol->plan->periods || !kpi_ok(kpi))
        return NAN;
    return kpi == MP_KPI_REACH ? NAN : MPI_CP_KPI(sol, c, t, kpi); /* reach: a campaign figure */
}

/* ---- keywords and groups ------------------------------------------------- */

size_t mp_solution_keyword_count(const mp_solution *sol)
{
    return solved(sol) ? sol->nkw : 0;
}

static const mpi_keyword *keyword(const mp_solution *sol, size_t k)
{
    if (k >= mp_solution_keyword_count(sol))
        return NULL;
    const mpi_channel *ch = &sol->plan->ch[sol->kw[k].channel];
    return ch->ops->keyword(ch->params, sol->kw[k].keyword);
}

const char *mp_solution_keyword_text(const mp_solution *sol, size_t k)
{
    const mpi_keyword *kw = keyword(sol, k);
    return kw ? kw->text : NULL;
}

const char *mp_solution_keyword_channel(const mp_solution *sol, size_t k)
{
    return keyword(sol, k) ? sol->plan->ch[sol->kw[k].channel].name : NULL;
}

const char *mp_solution_keyword_group(const mp_solution *sol, size_t k)
{
    const mpi_keyword *kw = keyword(sol, k);
    return kw ? kw->group : NULL;
}

double mp_solution_keyword_value(const mp_solution *sol, size_t k, mp_keyword_field f)
{
    const mpi_keyword *kw = keyword(sol, k);
    if (!kw)
        return NAN;
    const mpi_kw_result *kr = &sol->kw[k];
    switch (f) {
    case MP_KW_MONTHLY_SEARCHES: return kw->volume;
    case MP_KW_BID_LOW: return kw->bid_lo;
    case MP_KW_BID_HIGH: return kw->bid_hi;
    case MP_KW_COMPETITION: return kw->competition >= 0 ? kw->competition : NAN;
    case MP_KW_BID: return kr->bid;
    case MP_KW_SPEND: return kr->spend;
    case MP_KW_IMPRESSIONS: return kr->impressions;
    case MP_KW_CLICKS: return kr->clicks;
    case MP_KW_CONVERSIONS: return kr->conversions;
    case MP_KW_REVENUE: return kr->revenue;
    case MP_KW_BUCKETED_VOLUME: return (kw->flags & MPI_KW_BUCKETED) != 0;
    case MP_KW_DEFAULT_BIDS: return (kw->flags & MPI_KW_DEFAULT_BIDS) != 0;
    }
    return NAN;
}

/* The group totals, computed for each call (a handful of groups). */
static int group_total(const mp_solution *sol, size_t g, mpi_group_total *out)
{
    mpi_group_total *gt = NULL;
    size_t n = 0;
    if (!solved(sol) || mpi_group_totals(sol, &gt, &n) != MP_OK || g >= n) {
        free(gt);
        return 0;
    }
    *out = gt[g];
    free(gt);
    return 1;
}

size_t mp_solution_group_count(const mp_solution *sol)
{
    mpi_group_total *gt = NULL;
    size_t n = 0;
    if (!solved(sol) || mpi_group_totals(sol, &gt, &n) != MP_OK)
        n = 0;
    free(gt);
    return n;
}

const char *mp_solution_group_channel(const mp_solution *sol, size_t g)
{
    mpi_group_total t;
    return group_total(sol, g, &t) ? sol->plan->ch[t.channel].name : NULL;
}

const char *mp_solution_group_name(const mp_solution *sol, size_t g)
{
    mpi_group_total t;
    return group_total(sol, g, &t) ? t.group : NULL;
}

double mp_solution_group_value(const mp_solution *sol, size_t g, mp_group_field f)
{
    mpi_group_total t;
    if (!group_total(sol, g, &t))
        return NAN;
    switch (f) {
    case MP_GROUP_KEYWORDS: return (double)t.keywords;
    case MP_GROUP_SPEND: return t.spend;
    case MP_GROUP_CLICKS: return t.clicks;
    case MP_GROUP_CONVERSIONS: return t.conversions;
    case MP_GROUP_REVENUE: return t.revenue;
    case MP_GROUP_CPA: return t.conversions > 0 ? t.spend / t.conversions : NAN;
    }
    return NAN;
}

/* ---- constraints ------------------------------------------------------------ */

/* The LP row of reported constraint i: reach links are the LP's own rows,
 * not constraints of the plan, and are skipped. -1 out of range. */
static long constraint_row(const mp_solution *sol, size_t i)
{
    if (!solved(sol))
        return -1;
    const mpi_lp *lp = &sol->model.lp;
    for (size_t r = 0; r < lp->nrows; r++) {
        if (lp->rows[r].kind == MPI_ROW_REACH_LINK)
            continue;
        if (i-- == 0)
            return (long)r;
    }
    return -1;
}

size_t mp_solution_constraint_count(const mp_solution *sol)
{
    size_t n = 0;
    for (size_t r = 0; solved(sol) && r < sol->model.lp.nrows; r++)
        n += sol->model.lp.rows[r].kind != MPI_ROW_REACH_LINK;
    return n;
}

const char *mp_solution_constraint_name(const mp_solution *sol, size_t i)
{
    long r = constraint_row(sol, i);
    if (r < 0)
        return NULL;
    const mpi_row *row = &sol->model.lp.rows[r];
    return row->kind == MPI_ROW_CONSTRAINT ? sol->plan->cons[row->ref].name : row->name;
}

const char *mp_solution_constraint_expr(const mp_solution *sol, size_t i)
{
    long r = constraint_row(sol, i);
    if (r < 0)
        return NULL;
    const mpi_row *row = &sol->model.lp.rows[r];
    return row->kind == MPI_ROW_CONSTRAINT ? sol->plan->cons[row->ref].text
                                           : strchr(row->label, ':') + 2;
}

const char *mp_solution_constraint_op(const mp_solution *sol, size_t i)
{
    long r = constraint_row(sol, i);
    return r < 0 ? NULL : mpi_op_str(sol->model.lp.rows[r].op);
}

double mp_solution_constraint_value(const mp_solution *sol, size_t i)
{
    long r = constraint_row(sol, i);
    return r < 0 ? NAN : sol->rows[r].value;
}

double mp_solution_constraint_bound(const mp_solution *sol, size_t i)
{
    long r = constraint_row(sol, i);
    return r < 0 ? NAN : sol->rows[r].bound;
}

int mp_solution_constraint_binding(const mp_solution *sol, size_t i)
{
    long r = constraint_row(sol, i);
    return r < 0 ? -1 : sol->rows[r].binding != 0;
}

double mp_solution_constraint_dual(const mp_solution *sol, size_t i)
{
    long r = constraint_row(sol, i);
    return r < 0 ? NAN : sol->rows[r].dual;
}

/* ---- what-if runs ------------------------------------------------------------ */

size_t mp_whatif_axis_count(const mp_whatif *w)
{
    return w ? w->nax : 0;
}

const char *mp_whatif_axis_name(const mp_whatif *w, size_t a)
{
    return w && a < w->nax ? w->ax[a].label : NULL;
}

int mp_whatif_axis_is_rate(const mp_whatif *w, size_t a)
{
    return w && a < w->nax ? w->ax[a].pct != 0 : -1;
}

static const mpi_scen *scenario(const mp_whatif *w, size_t i)
{
    return w && i < w->ns ? &w->s[i] : NULL;
}

/* Scenario i when it has a plan (figures), else NULL. */
static const mpi_scen *solved_scenario(const mp_whatif *w, size_t i)
{
    const mpi_scen *s = scenario(w, i);
    return s && mpi_scen_solved(s) ? s : NULL;
}

double mp_whatif_scenario_param(const mp_whatif *w, size_t i, size_t a)
{
    const mpi_scen *s = scenario(w, i);
    return s && a < w->nax ? w->ax[a].values[s->idx[a]] : NAN;
}

const char *mp_whatif_scenario_explain(const mp_whatif *w, size_t i)
{
    const mpi_scen *s = scenario(w, i);
    if (!s)
        return NULL;
    return !mpi_scen_solved(s) && s->explain ? s->explain : "";
}

double mp_whatif_scenario_kpi(const mp_whatif *w, size_t i, mp_kpi kpi)
{
    const mpi_scen *s = solved_scenario(w, i);
    return s && kpi_ok(kpi) ? s->kpi[kpi] : NAN;
}

double mp_whatif_scenario_channel_spend(const mp_whatif *w, size_t i, size_t c)
{
    const mpi_scen *s = solved_scenario(w, i);
    return s && c < w->plan->nch ? s->spend[c] : NAN;
}

double mp_whatif_scenario_media_spend(const mp_whatif *w, size_t i, const char *media)
{
    const mpi_scen *s = solved_scenario(w, i);
    long m = media_index(media);
    return s && m >= 0 ? s->media[m] : NAN;
}

double mp_whatif_scenario_marginal(const mp_whatif *w, size_t i)
{
    const mpi_scen *s = solved_scenario(w, i);
    return s ? s->marginal : NAN;
}
