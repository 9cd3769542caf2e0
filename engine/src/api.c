/* Reading a solution and a what-if run through the public accessors. Each
 * returns the figure the JSON result holds, read from the same report view
 * (report.h); a NULL handle or an index out of range gives NAN, NULL, 0 or
 * -1, never a crash. */
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

/* The view of a solution with figures (optimal, or a plan at the time
 * limit), else NULL. */
static const mpi_report *solved(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r && r->solved ? r : NULL;
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

/* ---- the brief ------------------------------------------------------------ */

const char *mp_plan_name(const mp_plan *plan)
{
    return plan ? plan->name : NULL;
}

const char *mp_plan_client(const mp_plan *plan)
{
    return plan ? plan->client : NULL;
}

const char *mp_plan_file(const mp_plan *plan)
{
    return plan ? plan->path : NULL;
}

const char *mp_plan_currency(const mp_plan *plan)
{
    return plan ? plan->currency : NULL;
}

double mp_plan_budget(const mp_plan *plan)
{
    return plan ? plan->budget : NAN;
}

int mp_plan_budget_exact(const mp_plan *plan)
{
    return plan ? plan->budget_exact != 0 : -1;
}

mp_status mp_plan_start(const mp_plan *plan, char *buf, size_t n)
{
    mpi_clear_error();
    if (!plan || !buf || n < 11)
        return mpi_fail(MP_ERR_INPUT, N_("mp_plan_start: no plan, or a buffer under 11 bytes"));
    mpi_fmt_date(buf, n, plan->start);
    return MP_OK;
}

size_t mp_plan_period_count(const mp_plan *plan)
{
    return plan ? (size_t)plan->periods : 0;
}

const char *mp_plan_period_unit(const mp_plan *plan)
{
    return plan ? plan->period_kind == MPI_WEEK ? "week" : "month" : NULL;
}

double mp_plan_precision(const mp_plan *plan)
{
    return plan ? plan->precision : NAN;
}

double mp_plan_gap(const mp_plan *plan)
{
    return plan ? plan->gap : NAN;
}

double mp_plan_universe(const mp_plan *plan)
{
    return plan && plan->universe > 0 ? plan->universe : NAN;
}

/* ---- the solution --------------------------------------------------------- */

const char *mp_solution_objective_kpi(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r ? r->obj.kpi : NULL;
}

const char *mp_solution_objective_sense(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r ? r->obj.sense : NULL;
}

const char *mp_solution_objective_unit(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r ? r->obj.unit : NULL;
}

const char *mp_solution_currency(const mp_solution *sol)
{
    return sol ? sol->plan->currency : NULL;
}

double mp_solution_kpi(const mp_solution *sol, mp_kpi kpi)
{
    const mpi_report *r = solved(sol);
    return r && kpi_ok(kpi) ? r->kpi[kpi] : NAN;
}

double mp_solution_bound(const mp_solution *sol)
{
    const mpi_report *r = solved(sol);
    return r ? r->bound : NAN;
}

double mp_solution_gap(const mp_solution *sol)
{
    const mpi_report *r = solved(sol);
    return r ? r->gap : NAN;
}

double mp_solution_reach_dedup(const mp_solution *sol)
{
    const mpi_report *r = solved(sol);
    return r ? r->reach_dedup : NAN;
}

/* ---- media families ----------------------------------------------------- */

size_t mp_media_count(void)
{
    return mpi_media_count();
}

const char *mp_media_name(size_t m)
{
    return mpi_media_name(m);
}

double mp_solution_media_spend(const mp_solution *sol, const char *media)
{
    const mpi_report *r = solved(sol);
    long m = mpi_media_find(media);
    return r && m >= 0 ? r->media[m].spend : NAN;
}

/* ---- channels and periods ------------------------------------------------ */

size_t mp_solution_channel_count(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r ? r->nch : 0;
}

static const mpi_report_channel *channel(const mp_solution *sol, size_t c)
{
    const mpi_report *r = mpi_report_of(sol);
    return r && c < r->nch ? &r->ch[c] : NULL;
}

const char *mp_solution_channel_name(const mp_solution *sol, size_t c)
{
    const mpi_report_channel *ch = channel(sol, c);
    return ch ? ch->name : NULL;
}

const char *mp_solution_channel_type(const mp_solution *sol, size_t c)
{
    const mpi_report_channel *ch = channel(sol, c);
    return ch ? ch->type : NULL;
}

int mp_solution_channel_digital(const mp_solution *sol, size_t c)
{
    const mpi_report_channel *ch = channel(sol, c);
    return ch ? ch->digital : -1;
}

/* Figures of a channel without a plan are NAN in the view. */
double mp_solution_channel_kpi(const mp_solution *sol, size_t c, mp_kpi kpi)
{
    const mpi_report_channel *ch = channel(sol, c);
    return ch && kpi_ok(kpi) ? ch->kpi[kpi] : NAN;
}

double mp_solution_channel_spend(const mp_solution *sol, size_t c)
{
    const mpi_report_channel *ch = channel(sol, c);
    return ch ? ch->spend : NAN;
}

double mp_solution_channel_share(const mp_solution *sol, size_t c)
{
    const mpi_report_channel *ch = channel(sol, c);
    return ch ? ch->share : NAN;
}

double mp_solution_channel_marginal(const mp_solution *sol, size_t c)
{
    const mpi_report_channel *ch = channel(sol, c);
    return ch ? ch->marginal : NAN;
}

size_t mp_solution_period_count(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r ? r->nperiods : 0;
}

mp_status mp_solution_period_start(const mp_solution *sol, size_t t, char *buf, size_t n)
{
    const mpi_report *r = mpi_report_of(sol);
    if (!r || !buf || t >= r->nperiods)
        return mpi_fail(MP_ERR_INPUT, N_("no period %zu"), t);
    if (n <= strlen(r->period[t].start))
        return mpi_fail(MP_ERR_INPUT, N_("a date needs 11 bytes, not %zu"), n);
    memcpy(buf, r->period[t].start, strlen(r->period[t].start) + 1);
    return MP_OK;
}

double mp_solution_period_kpi(const mp_solution *sol, size_t c, size_t t, mp_kpi kpi)
{
    return mpi_report_period_kpi(mpi_report_of(sol), c, t, (int)kpi);
}

/* ---- keywords and groups ------------------------------------------------- */

size_t mp_solution_keyword_count(const mp_solution *sol)
{
    return mpi_report_keyword_count(mpi_report_of(sol));
}

const char *mp_solution_keyword_text(const mp_solution *sol, size_t k)
{
    const mpi_keyword *kw = mpi_report_keyword(mpi_report_of(sol), k, NULL);
    return kw ? kw->text : NULL;
}

const char *mp_solution_keyword_channel(const mp_solution *sol, size_t k)
{
    return mpi_report_keyword_channel(mpi_report_of(sol), k);
}

const char *mp_solution_keyword_group(const mp_solution *sol, size_t k)
{
    const mpi_keyword *kw = mpi_report_keyword(mpi_report_of(sol), k, NULL);
    return kw ? kw->group : NULL;
}

double mp_solution_keyword_value(const mp_solution *sol, size_t k, mp_keyword_field f)
{
    const mpi_kw_result *kr = NULL;
    const mpi_keyword *kw = mpi_report_keyword(mpi_report_of(sol), k, &kr);
    if (!kw)
        return NAN;
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

size_t mp_solution_group_count(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r ? r->ngroups : 0;
}

static const mpi_report_group *group(const mp_solution *sol, size_t g)
{
    const mpi_report *r = mpi_report_of(sol);
    return r && g < r->ngroups ? &r->group[g] : NULL;
}

const char *mp_solution_group_channel(const mp_solution *sol, size_t g)
{
    const mpi_report_group *o = group(sol, g);
    return o ? o->channel : NULL;
}

const char *mp_solution_group_name(const mp_solution *sol, size_t g)
{
    const mpi_report_group *o = group(sol, g);
    return o ? o->name : NULL;
}

double mp_solution_group_value(const mp_solution *sol, size_t g, mp_group_field f)
{
    const mpi_report_group *o = group(sol, g);
    if (!o)
        return NAN;
    switch (f) {
    case MP_GROUP_KEYWORDS: return (double)o->keywords;
    case MP_GROUP_SPEND: return o->spend;
    case MP_GROUP_CLICKS: return o->clicks;
    case MP_GROUP_CONVERSIONS: return o->conversions;
    case MP_GROUP_REVENUE: return o->revenue;
    case MP_GROUP_CPA: return o->cpa;
    }
    return NAN;
}

/* ---- constraints ------------------------------------------------------------ */

size_t mp_solution_constraint_count(const mp_solution *sol)
{
    const mpi_report *r = mpi_report_of(sol);
    return r ? r->nrows : 0;
}

static const mpi_report_row *row(const mp_solution *sol, size_t i)
{
    const mpi_report *r = mpi_report_of(sol);
    return r && i < r->nrows ? &r->row[i] : NULL;
}

const char *mp_solution_constraint_name(const mp_solution *sol, size_t i)
{
    const mpi_report_row *o = row(sol, i);
    return o ? o->name : NULL;
}

const char *mp_solution_constraint_expr(const mp_solution *sol, size_t i)
{
    const mpi_report_row *o = row(sol, i);
    return o ? o->expr : NULL;
}

const char *mp_solution_constraint_op(const mp_solution *sol, size_t i)
{
    const mpi_report_row *o = row(sol, i);
    return o ? o->op : NULL;
}

double mp_solution_constraint_value(const mp_solution *sol, size_t i)
{
    const mpi_report_row *o = row(sol, i);
    return o ? o->value : NAN;
}

double mp_solution_constraint_bound(const mp_solution *sol, size_t i)
{
    const mpi_report_row *o = row(sol, i);
    return o ? o->bound : NAN;
}

int mp_solution_constraint_binding(const mp_solution *sol, size_t i)
{
    const mpi_report_row *o = row(sol, i);
    return o ? o->binding : -1;
}

double mp_solution_constraint_dual(const mp_solution *sol, size_t i)
{
    const mpi_report_row *o = row(sol, i);
    return o ? o->dual : NAN;
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

size_t mp_whatif_axis_value_count(const mp_whatif *w, size_t a)
{
    return w && a < w->nax ? w->ax[a].n : 0;
}

double mp_whatif_axis_value(const mp_whatif *w, size_t a, size_t i)
{
    return w && a < w->nax && i < w->ax[a].n ? w->ax[a].values[i] : NAN;
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
    long m = mpi_media_find(media);
    return s && m >= 0 ? s->media[m] : NAN;
}

double mp_whatif_scenario_marginal(const mp_whatif *w, size_t i)
{
    const mpi_scen *s = solved_scenario(w, i);
    return s ? s->marginal : NAN;
}
