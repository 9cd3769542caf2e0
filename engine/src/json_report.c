/* The JSON result: an interface for pipelines, documented in the README. It
 * renders the report view (report.h) through the JSON adapter (json.h), so
 * every figure equals the summary's, the workbook's and the accessors'. */
#include "json.h"
#include "whatif.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef mpi_json_node node;

static node *kpi_object(mpi_json *j, node *parent, const char *key, const double *v)
{
    node *o = mpi_json_object(j, parent, key);
    for (int q = 0; q < MPI_NKPI; q++)
        mpi_json_num(j, o, mpi_kpi_names[q], v[q]);
    return o;
}

/* Spend by media family, every family of the registry then digital and
 * offline (present in the plan or not). */
static void media_object(mpi_json *j, node *parent, const char *key, const double *spend)
{
    node *o = mpi_json_object(j, parent, key);
    for (size_t m = 0; m < mpi_media_count(); m++)
        mpi_json_num(j, o, mpi_media_name(m), spend[m]);
}

static void plan_object(mpi_json *j, node *root, const mpi_report *r)
{
    const mp_plan *plan = r->plan;
    node *p = mpi_json_object(j, root, "plan");
    mpi_json_str(j, p, "name", plan->name);
    mpi_json_str(j, p, "client", plan->client);
    mpi_json_str(j, p, "file", plan->path);
    mpi_json_str(j, p, "currency", plan->currency);
    mpi_json_num(j, p, "budget", plan->budget);
    mpi_json_str(j, p, "budget_mode", r->budget_mode);
    mpi_json_str(j, p, "start", r->start);
    mpi_json_num(j, p, "periods", plan->periods);
    mpi_json_str(j, p, "period", r->period_unit);
    char obj[48];
    snprintf(obj, sizeof obj, "%s %s", r->obj.sense, r->obj.kpi);
    mpi_json_str(j, p, "objective", obj);
    mpi_json_num(j, p, "precision", plan->precision);
    mpi_json_num(j, p, "universe", plan->universe > 0 ? plan->universe : NAN);
    if (plan->eff_freq > 0)
        mpi_json_num(j, p, "effective_frequency", plan->eff_freq);
}

/* Branch and cut's verdict as the JSON spells it (README, The JSON result):
 * not_found when the time limit ran out before any booked plan. */
static const char *mip_status_str(int status, double solver_gap)
{
    if (status == MPI_LP_OPTIMAL)
        return "optimal";
    if (status == MPI_LP_INFEASIBLE)
        return "infeasible";
    return solver_gap == INFINITY ? "not_found" : "time_limit";
}

/* A booked plan's MIP (mip.c): branch and cut's status, nodes and own gap,
 * and the continuous relaxation's LP objective, which bounds it. */
static node *mip_fields(mpi_json *j, node *parent, int status, long nodes, double solver_gap,
                        double relaxation)
{
    node *o = mpi_json_object(j, parent, "mip");
    mpi_json_str(j, o, "status", mip_status_str(status, solver_gap));
    mpi_json_num(j, o, "nodes", (double)nodes);
    /* no incumbent, or one whose gap is not known: null */
    mpi_json_num(j, o, "solver_gap", isfinite(solver_gap) ? solver_gap : NAN);
    mpi_json_num(j, o, "relaxation", relaxation);
    return o;
}

static void mip_object(mpi_json *j, node *root, const mp_solution *sol)
{
    node *o =
        mip_fields(j, root, sol->mip_status, sol->mip_nodes, sol->mip_gap_glpk, sol->mip_relax);
    if (sol->mip_band_cols > 0) { /* restricted to the segments in question (mip_band.c) */
        node *b = mpi_json_object(j, o, "restricted");
        mpi_json_num(j, b, "columns", (double)sol->mip_band_cols);
        mpi_json_num(j, b, "of", (double)sol->model.lp.ncols);
        mpi_json_num(j, b, "rounds", sol->mip_band_rounds);
        mpi_json_bool(j, b, "settled", sol->mip_band_settled);
    }
}

/* The budget a plan maximising leaves unspent and the rows that stop it
 * being spent (stopper.c); null when it spends it all. */
static void unspent_object(mpi_json *j, node *root, const mpi_report *r)
{
    char text[MPI_TEXT_MAX];
    size_t rows[2];
    size_t k = mpi_unspent_rows(r, rows);
    mpi_unspent_text(r, MPI_LANG_EN, text, sizeof text);
    if (!*text) {
        mpi_json_num(j, root, "unspent", NAN);
        return;
    }
    node *u = mpi_json_object(j, root, "unspent");
    mpi_json_num(j, u, "amount", mpi_unspent_amount(r));
    node *a = mpi_json_array(j, u, "rows");
    for (size_t i = 0; i < k; i++)
        mpi_json_str(j, a, NULL, mpi_stopper_name(r->sol, rows[i]));
    mpi_json_str(j, u, "text", text);
}

/* What every result has: the plan, the status, the objective, why there is
 * no plan (when there is none) and the warnings. */
static void result_head(mpi_json *j, node *root, const mpi_report *r)
{
    plan_object(j, root, r);
    mpi_json_str(j, root, "status", r->status);
    node *obj = mpi_json_object(j, root, "objective");
    mpi_json_str(j, obj, "kpi", r->obj.kpi);
    mpi_json_str(j, obj, "sense", r->obj.sense);
    mpi_json_str(j, obj, "unit", r->obj.unit);
    mpi_json_num(j, obj, "value", r->objective);
    mpi_json_num(j, obj, "lp", r->lp_objective);
    mpi_json_num(j, obj, "bound", r->bound);
    mpi_json_num(j, obj, "gap", r->gap);
    if (r->bound_relaxed)
        mpi_json_str(j, obj, "bound_prices", "lp_relaxation");
    if (r->sol->booked)
        mip_object(j, root, r->sol);
    if (r->sol->explain)
        mpi_json_str(j, root, "explanation", r->sol->explain);
    unspent_object(j, root, r);
    node *warn = mpi_json_array(j, root, "warnings");
    for (size_t i = 0; i < r->plan->diag.warn.n; i++)
        mpi_json_str(j, warn, NULL, r->plan->diag.warn.v[i]);
    for (size_t i = 0; i < r->sol->diag.warn.n; i++)
        mpi_json_str(j, warn, NULL, r->sol->diag.warn.v[i]);
}

static void periods_array(mpi_json *j, node *parent, const mpi_report *r, size_t c)
{
    node *pers = mpi_json_array(j, parent, "periods");
    for (size_t t = 0; t < r->nperiods; t++) {
        node *po = mpi_json_object(j, pers, NULL);
        mpi_json_num(j, po, "period", (double)(t + 1));
        mpi_json_str(j, po, "start", r->period[t].start);
        mpi_json_num(j, po, "spend", mpi_report_period_kpi(r, c, t, MPI_SPEND));
        if (r->sol->adstock && r->plan->ch[c].adstock > 0) /* a_t: what the response sees */
            mpi_json_num(j, po, "adstock", r->sol->adstock[c * r->nperiods + t]);
        if (r->sol->book_units && mpi_channel_booked(&r->plan->ch[c])) {
            size_t i = c * r->nperiods + t; /* spots or insertions, and whether it airs */
            if (!isnan(r->sol->book_units[i]))
                mpi_json_num(j, po, "units", r->sol->book_units[i]);
            mpi_json_bool(j, po, "airs", mpi_report_period_kpi(r, c, t, MPI_SPEND) > 0);
        }
        double v[MPI_NKPI];
        for (int q = 0; q < MPI_NKPI; q++)
            v[q] = mpi_report_period_kpi(r, c, t, q); /* reach: NAN, a campaign figure */
        kpi_object(j, po, "kpis", v);
    }
}

/* What stops the channel from getting more (limits.c); null without a plan. */
static void limit_object(mpi_json *j, node *o, const mpi_report_limit *l)
{
    if (!*l->text) {
        mpi_json_str(j, o, "limit", NULL);
        return;
    }
    node *lo = mpi_json_object(j, o, "limit");
    mpi_json_str(j, lo, "reason", mpi_limit_reason_str(l->reason));
    if (l->row)
        mpi_json_str(j, lo, "row", l->row);
    mpi_json_str(j, lo, "text", l->text);
}

/* A carrying-over channel's adstock rate, what it carried in, and the
 * response after the plan (adstock.c); nothing for the others. */
static void adstock_object(mpi_json *j, node *o, const mpi_report *r, size_t c)
{
    const mpi_channel *ch = &r->plan->ch[c];
    if (!(ch->adstock > 0) || !r->sol->after_kpi)
        return;
    node *ao = mpi_json_object(j, o, "carryover");
    mpi_json_num(j, ao, "adstock", ch->adstock);
    mpi_json_num(j, ao, "carried_in", ch->carry_in);
    if (r->plan->count_after > 0)
        kpi_object(j, o, "after_plan", &r->sol->after_kpi[c * MPI_NKPI]);
}

static void channels_array(mpi_json *j, node *root, const mpi_report *r)
{
    node *chans = mpi_json_array(j, root, "channels");
    for (size_t c = 0; c < r->nch; c++) {
        const mpi_report_channel *ch = &r->ch[c];
        node *o = mpi_json_object(j, chans, NULL);
        mpi_json_str(j, o, "name", ch->name);
        mpi_json_str(j, o, "type", ch->type);
        mpi_json_bool(j, o, "digital", ch->digital);
        mpi_json_num(j, o, "spend", ch->spend);
        mpi_json_num(j, o, "share", ch->share);
        mpi_json_num(j, o, "marginal_return", ch->marginal);
        if (r->eff_marginal_k > 0) /* people reached k+ times more per unit of spend */
            mpi_json_num(j, o, "marginal_effective_reach", ch->eff_marginal);
        limit_object(j, o, &ch->limit);
        kpi_object(j, o, "kpis", ch->kpi);
        if (r->eff_any) { /* people reached at least effective_frequency times */
            mpi_json_num(j, o, "effective_frequency", ch->eff_freq > 0 ? ch->eff_freq : NAN);
            mpi_json_num(j, o, "effective_reach", ch->eff_reach);
        }
        adstock_object(j, o, r, c);
        periods_array(j, o, r, c);
    }
}

static void keywords_array(mpi_json *j, node *root, const mpi_report *r)
{
    node *kws = mpi_json_array(j, root, "keywords");
    for (size_t k = 0; k < mpi_report_keyword_count(r); k++) {
        const mpi_kw_result *kr;
        const mpi_keyword *kwd = mpi_report_keyword(r, k, &kr);
        node *o = mpi_json_object(j, kws, NULL);
        mpi_json_str(j, o, "channel", mpi_report_keyword_channel(r, k));
        mpi_json_str(j, o, "keyword", kwd->text);
        mpi_json_str(j, o, "group", kwd->group);
        mpi_json_num(j, o, "monthly_searches", kwd->volume);
        mpi_json_num(j, o, "bid_low", kwd->bid_lo);
        mpi_json_num(j, o, "bid_high", kwd->bid_hi);
        mpi_json_num(j, o, "competition", kwd->competition >= 0 ? kwd->competition : NAN);
        mpi_json_num(j, o, "bid", kr->bid);
        mpi_json_num(j, o, "spend", kr->spend);
        mpi_json_num(j, o, "impressions", kr->impressions);
        mpi_json_num(j, o, "clicks", kr->clicks);
        mpi_json_num(j, o, "conversions", kr->conversions);
        mpi_json_num(j, o, "revenue", kr->revenue);
        mpi_json_bool(j, o, "bucketed_volume", (kwd->flags & MPI_KW_BUCKETED) != 0);
        mpi_json_bool(j, o, "default_bids", (kwd->flags & MPI_KW_DEFAULT_BIDS) != 0);
    }
}

static void groups_array(mpi_json *j, node *root, const mpi_report *r)
{
    node *groups = mpi_json_array(j, root, "groups");
    for (size_t i = 0; i < r->ngroups; i++) {
        const mpi_report_group *g = &r->group[i];
        node *o = mpi_json_object(j, groups, NULL);
        mpi_json_str(j, o, "channel", g->channel);
        mpi_json_str(j, o, "group", g->name);
        mpi_json_num(j, o, "keywords", (double)g->keywords);
        mpi_json_num(j, o, "spend", g->spend);
        mpi_json_num(j, o, "clicks", g->clicks);
        mpi_json_num(j, o, "conversions", g->conversions);
        mpi_json_num(j, o, "revenue", g->revenue);
        mpi_json_num(j, o, "cpa", g->cpa);
    }
}

/* range: [lo, hi] in the bound's unit (null: no range; an end null: open)
 * and range_ends: what happens at each end, and the row it names. */
static void range_fields(mpi_json *j, node *o, const mpi_report_row *row)
{
    static const char *const what[] = {"none",        "open",       "limit",      "unbinds",
                                       "binds",       "takes_over", "releases",   "infeasible",
                                       "channel_cap", "curve_end",  "bid_ceiling"};
    if (row->range_why[0] == MPI_END_NONE) {
        mpi_json_num(j, o, "range", NAN);
        mpi_json_num(j, o, "range_ends", NAN);
        return;
    }
    node *a = mpi_json_array(j, o, "range");
    for (int k = 0; k < 2; k++)
        mpi_json_num(j, a, NULL, row->range[k]);
    node *e = mpi_json_array(j, o, "range_ends");
    for (int k = 0; k < 2; k++) {
        node *end = mpi_json_object(j, e, NULL);
        mpi_json_str(j, end, "what", what[row->range_why[k]]);
        mpi_json_str(j, end, "row", row->range_row[k]);
        if (row->range_channel[k]) /* the channel that can take no more */
            mpi_json_str(j, end, "channel", row->range_channel[k]);
        if (row->range_group[k])
            mpi_json_str(j, end, "group", row->range_group[k]);
        if (!isnan(row->range_ceiling[k]))
            mpi_json_num(j, end, "bid_ceiling", row->range_ceiling[k]);
    }
}

/* Constraint i's worst draw (hold.c): the measure, the draw as the planner
 * counts it (its file's row; crossed with ranges, the ranges' point too),
 * whether every draw meets the bound. */
static void worst_draw_object(mpi_json *j, node *o, const mp_plan *plan, const mpi_hold_out *h,
                              size_t i)
{
    static const char *const point[3] = {"low", "base", "high"};
    node *w = mpi_json_object(j, o, "worst_draw");
    mpi_json_num(j, w, "value", h->worst[i]);
    int p = mpi_draw_point(plan, h->worst_draw[i]);
    mpi_json_num(j, w, "draw", (double)mpi_draw_number(plan, h->worst_draw[i]));
    if (p >= 0) /* crossed with ranges: the ranges' point in that draw */
        mpi_json_str(j, w, "range_point", point[p]);
    mpi_json_bool(j, w, "met", h->met[i]);
}

/* A constraint on an uncertain outcome in a plan with aligned draws
 * (hold.c): must_hold ("all": in every draw, "mean": in expectation) and
 * its worst draw at the plan (the measure, the draw from 1, whether it
 * meets the bound). */
static void hold_fields(mpi_json *j, node *o, const mpi_report *r, const mpi_report_row *row)
{
    const mpi_hold_out *h = r->sol->hold;
    if (!h || row->kind != MPI_ROW_CONSTRAINT || (size_t)row->ref >= h->ncons || !h->has[row->ref])
        return;
    mpi_json_str(j, o, "must_hold", h->all[row->ref] ? "all" : "mean");
    worst_draw_object(j, o, r->sol->plan, h, (size_t)row->ref);
}

static void constraints_array(mpi_json *j, node *root, const mpi_report *r)
{
    node *cons = mpi_json_array(j, root, "constraints");
    for (size_t i = 0; i < r->nrows; i++) {
        const mpi_report_row *row = &r->row[i];
        node *o = mpi_json_object(j, cons, NULL);
        mpi_json_str(j, o, "name", row->name);
        mpi_json_str(j, o, "expr", row->expr);
        mpi_json_str(j, o, "op", row->op);
        mpi_json_num(j, o, "value", row->value);
        mpi_json_num(j, o, "bound", row->bound);
        mpi_json_bool(j, o, "binding", row->binding);
        mpi_json_num(j, o, "dual", row->dual);
        mpi_json_num(j, o, "shadow_price", row->shadow);
        mpi_json_str(j, o, "unit", row->unit);
        range_fields(j, o, row);
        mpi_json_num(j, o, "lp_rhs", row->lp_rhs);
        hold_fields(j, o, r, row);
    }
}

/* The planner's current plan on the same models ([plan] baseline): its
 * objective, KPIs, channels and the constraints it breaks. */
static void baseline_object(mpi_json *j, node *root, const mpi_report *r)
{
    const mpi_baseline *b = r->sol->baseline;
    node *o = mpi_json_object(j, root, "baseline");
    mpi_json_str(j, o, "file", r->plan->baseline_path);
    mpi_json_num(j, o, "objective", b->objective);
    node *bk = kpi_object(j, o, "kpis", b->kpi);
    mpi_json_num(j, bk, "reach_dedup", b->reach_dedup);
    mpi_json_num(j, bk, "reach_summed", b->reach_summed);
    if (r->eff_any)
        mpi_json_num(j, bk, "effective_reach", b->eff_reach);
    node *chans = mpi_json_array(j, o, "channels");
    for (size_t c = 0; c < r->nch; c++) {
        node *co = mpi_json_object(j, chans, NULL);
        mpi_json_str(j, co, "name", r->ch[c].name);
        mpi_json_num(j, co, "spend", b->ch_kpi[c * MPI_NKPI + MPI_SPEND]);
        mpi_json_num(j, co, "unplaced", b->unplaced[c]);
        kpi_object(j, co, "kpis", &b->ch_kpi[c * MPI_NKPI]);
    }
    node *broken = mpi_json_array(j, o, "broken");
    for (size_t i = 0; i < b->nbroken; i++) {
        node *bo = mpi_json_object(j, broken, NULL);
        mpi_json_str(j, bo, "name", b->broken[i].name);
        mpi_json_str(j, bo, "expr", b->broken[i].expr);
        mpi_json_str(j, bo, "op", mpi_op_str(b->broken[i].op));
        mpi_json_num(j, bo, "value", b->broken[i].value);
        mpi_json_num(j, bo, "bound", b->broken[i].bound);
    }
    node *book = mpi_json_array(j, o, "booking");
    for (size_t i = 0; i < b->nbooking; i++) {
        const mpi_baseline_booking *k = &b->booking[i];
        node *bo = mpi_json_object(j, book, NULL);
        mpi_json_str(j, bo, "channel", r->ch[k->channel].name);
        mpi_json_num(j, bo, "period", k->period >= 0 ? k->period + 1 : NAN); /* null: the flight */
        mpi_json_str(j, bo, "rule", mpi_baseline_booking_rule(k->rule));
        mpi_json_num(j, bo, "spend", k->spend);
        mpi_json_num(j, bo, "value", k->value);
        mpi_json_num(j, bo, "bound", k->bound);
    }
}

/* What the optimised plan gains over the baseline: optimised minus baseline,
 * in total and by channel (a min plan's negative uplift is a saving). */
static void uplift_object(mpi_json *j, node *root, const mpi_report *r)
{
    const mpi_baseline *b = r->sol->baseline;
    node *o = mpi_json_object(j, root, "uplift");
    double d = r->objective - b->objective;
    mpi_json_num(j, o, "objective", d);
    mpi_json_num(j, o, "objective_relative", b->objective != 0 ? d / fabs(b->objective) : NAN);
    node *chans = mpi_json_array(j, o, "channels");
    for (size_t c = 0; c < r->nch; c++) {
        const double *bk = &b->ch_kpi[c * MPI_NKPI];
        double v[MPI_NKPI];
        for (int q = 0; q < MPI_NKPI; q++)
            v[q] = r->ch[c].kpi[q] - bk[q];
        node *co = mpi_json_object(j, chans, NULL);
        mpi_json_str(j, co, "name", r->ch[c].name);
        mpi_json_num(j, co, "spend", v[MPI_SPEND]);
        mpi_json_num(j, co, "objective", v[r->plan->obj_kpi]);
        kpi_object(j, co, "kpis", v);
    }
}

static node *qset_object(mpi_json *j, node *parent, const char *key, const mpi_qset *q)
{
    node *o = mpi_json_object(j, parent, key);
    mpi_json_num(j, o, "mean", q->mean);
    mpi_json_num(j, o, "p10", q->p10);
    mpi_json_num(j, o, "p50", q->p50);
    mpi_json_num(j, o, "p90", q->p90);
    return o;
}

static const char *risk_name(int risk)
{
    return risk == MPI_RISK_CVAR ? "cvar" : risk == MPI_RISK_WORST ? "worst" : "mean";
}

/* A plan's outcomes over the draws of its uncertain curves (uncertain.c):
 * the chosen plan's, or a what-if scenario's at its spends. */
static void quantiles_object(mpi_json *j, node *root, const mp_plan *plan, const mpi_quantiles *qs)
{
    node *o = mpi_json_object(j, root, "quantiles");
    mpi_json_str(j, o, "kpi", mpi_kpi_names[qs->q]);
    mpi_json_str(j, o, "risk", risk_name(plan->risk));
    mpi_json_str(j, o, "draws", plan->draws_independent ? "independent" : "aligned");
    mpi_json_num(j, o, "outcomes", (double)qs->ndraws);
    mpi_json_bool(j, o, "sampled", qs->sampled);
    qset_object(j, o, "objective", &qs->obj);
    if (!isnan(qs->risk)) /* "cvar": the worst share's mean, "worst": the worst draw */
        mpi_json_num(j, o, risk_name(plan->risk), qs->risk);
    if (qs->target >= 0) { /* a min plan's target, met in expectation */
        node *t = mpi_json_object(j, o, "target");
        mpi_json_str(j, t, "constraint", plan->cons[qs->target].name);
        mpi_json_num(j, t, "value", qs->target_value);
        mpi_json_num(j, t, "met", qs->met);
    }
    node *ch = mpi_json_object(j, o, "channels");
    for (size_t c = 0; c < plan->nch; c++) /* draws 0: a certain channel */
        mpi_json_num(j, qset_object(j, ch, plan->ch[c].name, &qs->ch[c]), "draws",
                     (double)qs->ch_nd[c]);
}

/* risk = cvar or worst (risk.c): the plan's measure and mean over the draws,
 * the same of the mean-optimal plan, the risk LP's own value, the cuts'
 * bound on it and how many cuts it took. */
static void risk_object(mpi_json *j, node *root, const mpi_report *r)
{
    const mpi_risk_out *k = r->sol->risk;
    const char *name = risk_name(k->measure);
    node *o = mpi_json_object(j, root, "risk");
    mpi_json_str(j, o, "measure", name);
    if (k->measure == MPI_RISK_CVAR)
        mpi_json_num(j, o, "level", k->level);
    mpi_json_num(j, o, "draws", (double)k->ndraws);
    mpi_json_num(j, o, name, k->value);
    mpi_json_num(j, o, "mean", k->mean);
    mpi_json_num(j, o, "lp", k->lp_value);
    mpi_json_num(j, o, "lp_bound", k->lp_bound);
    mpi_json_num(j, o, "bound", k->bound);
    mpi_json_num(j, o, "gap", k->gap);
    mpi_json_num(j, o, "cuts", (double)k->cuts);
    mpi_json_bool(j, o, "stopped", k->stopped);
    node *m = mpi_json_object(j, o, "mean_plan");
    mpi_json_num(j, m, "mean", k->mean_plan_mean);
    mpi_json_num(j, m, name, k->mean_plan_value);
    mpi_json_bool(j, m, "stopped", k->mean_stopped);
    /* the two plans' figures inside the plan's certified precision: no
     * difference to report (NAN compares as different) */
    mpi_json_bool(j, m, "same_mean", mpi_risk_same(r->plan, k->mean, k->mean_plan_mean));
    char same[32];
    snprintf(same, sizeof same, "same_%s", name);
    mpi_json_bool(j, m, same, mpi_risk_same(r->plan, k->value, k->mean_plan_value));
}

/* The whole result of a solution into root. */
static void result_doc(mpi_json *j, node *root, const mpi_report *r)
{
    result_head(j, root, r);
    if (r->sol->baseline)
        baseline_object(j, root, r);
    if (!r->solved)
        return;
    if (r->sol->baseline)
        uplift_object(j, root, r);
    node *k = kpi_object(j, root, "kpis", r->kpi);
    mpi_json_num(j, k, "reach_dedup", r->reach_dedup);
    mpi_json_num(j, k, "reach_summed", r->reach_summed);
    if (r->eff_any)
        mpi_json_num(j, k, "effective_reach", r->eff_reach);
    if (r->solved && r->sol->after_kpi && r->plan->count_after > 0)
        mpi_json_num(j, kpi_object(j, root, "after_plan", r->sol->after_total), "periods",
                     r->plan->count_after);
    double spend[MPI_MAX_MEDIA];
    for (size_t m = 0; m < r->nmedia; m++)
        spend[m] = r->media[m].spend;
    media_object(j, root, "media", spend);
    channels_array(j, root, r);
    keywords_array(j, root, r);
    groups_array(j, root, r);
    constraints_array(j, root, r);
    if (r->sol->quant)
        quantiles_object(j, root, r->plan, r->sol->quant);
    if (r->sol->risk)
        risk_object(j, root, r);
}

static void build_result(mpi_json *j, node *root, const void *arg)
{
    result_doc(j, root, arg);
}

/* The document is written as it is built (json.h): no tree, flat memory. */
static mp_status write_result(const mp_solution *sol, const char *path, FILE *out)
{
    mpi_clear_error();
    const mpi_report *r = mpi_report_of(sol);
    if (!r || (!path && !out))
        return mpi_fail(MP_ERR_INPUT, N_("no solution, or nowhere to write its JSON"));
    return mpi_json_stream(path, out, build_result, r);
}

mp_status mp_solution_write_json(const mp_solution *sol, const char *path)
{
    return write_result(sol, path, NULL);
}

mp_status mp_solution_write_json_to(const mp_solution *sol, FILE *out)
{
    return write_result(sol, NULL, out);
}

/* ---- what-if runs ------------------------------------------------------------ */

static void axes_array(mpi_json *j, node *root, const mp_whatif *w)
{
    node *axes = mpi_json_array(j, root, "axes");
    for (size_t a = 0; a < w->nax; a++) {
        node *o = mpi_json_object(j, axes, NULL);
        mpi_json_str(j, o, "name", w->ax[a].label);
        mpi_json_str(j, o, "unit", w->ax[a].pct ? "fraction" : "value");
        node *vals = mpi_json_array(j, o, "values");
        for (size_t i = 0; i < w->ax[a].n; i++)
            mpi_json_num(j, vals, NULL, w->ax[a].values[i]);
    }
}

/* Channel spend changes against the base plan. */
static void spends_array(mpi_json *j, node *parent, const mp_whatif *w, const double *spend)
{
    node *chans = mpi_json_array(j, parent, "channels");
    for (size_t c = 0; c < w->plan->nch; c++) {
        node *co = mpi_json_object(j, chans, NULL);
        mpi_json_str(j, co, "name", w->plan->ch[c].name);
        mpi_json_num(j, co, "spend", spend[c]);
    }
}

/* A scenario's channels: spend and share, what the money buys (every KPI,
 * spend per click and per conversion) and, against the base plan, the
 * change of spend in currency. */
static void scenario_channels(mpi_json *j, node *parent, const mp_whatif *w,
                              const mpi_report_scenario *v, int base_ok)
{
    node *chans = mpi_json_array(j, parent, "channels");
    for (size_t c = 0; c < w->plan->nch; c++) {
        node *co = mpi_json_object(j, chans, NULL);
        mpi_json_str(j, co, "name", w->plan->ch[c].name);
        mpi_json_num(j, co, "spend", v->s->spend[c]);
        mpi_json_num(j, co, "share", v->share[c]);
        if (base_ok)
            mpi_json_num(j, co, "spend_change", v->delta_spend[c]);
        kpi_object(j, co, "kpis", &v->s->ch_kpi[c * MPI_NKPI]);
        mpi_json_num(j, co, "cpc", v->cpc[c]);
        mpi_json_num(j, co, "cpa", v->ch_cpa[c]);
        mpi_json_num(j, co, "spend_at_bid_ceiling", v->s->ceiling_spend[c]);
    }
}

/* A booked scenario's channels by period (mip.c): spend, whole spots or
 * insertions, and whether it airs, as optimize's periods say them. */
static void booking_array(mpi_json *j, node *parent, const mp_whatif *w, const mpi_scen *s)
{
    node *chans = mpi_json_array(j, parent, "booking");
    size_t np = (size_t)w->plan->periods;
    for (size_t c = 0; c < w->plan->nch; c++) {
        if (!mpi_channel_booked(&w->plan->ch[c]))
            continue;
        node *co = mpi_json_object(j, chans, NULL);
        mpi_json_str(j, co, "name", w->plan->ch[c].name);
        node *pers = mpi_json_array(j, co, "periods");
        for (size_t t = 0; t < np; t++) {
            size_t i = c * np + t;
            node *po = mpi_json_object(j, pers, NULL);
            mpi_json_num(j, po, "period", (double)(t + 1));
            mpi_json_num(j, po, "spend", s->book_spend[i]);
            if (!isnan(s->book_units[i]))
                mpi_json_num(j, po, "units", s->book_units[i]);
            mpi_json_bool(j, po, "airs", s->book_airs[i]);
        }
    }
}

/* A scenario's constraints that must hold in every draw, as optimize's
 * constraint entries give them: the worst draw's figure, that draw (from
 * 1), whether every draw meets the bound, and whether it binds there. */
static void scenario_held(mpi_json *j, node *o, const mp_plan *plan, const mpi_hold_out *h)
{
    node *arr = mpi_json_array(j, o, "must_hold");
    for (size_t i = 0; i < h->ncons; i++) {
        if (!h->all[i] || !h->has[i])
            continue;
        node *c = mpi_json_object(j, arr, NULL);
        mpi_json_str(j, c, "name", plan->cons[i].name);
        mpi_json_bool(j, c, "binding", h->tight[i]);
        worst_draw_object(j, c, plan, h, i);
    }
}

/* A scenario's figures: its plan, and with a base plan the changes. */
static void scenario_figures(mpi_json *j, node *o, const mp_whatif *w, const mpi_report_scenario *v,
                             int base_ok)
{
    const mpi_scen *s = v->s;
    node *k = kpi_object(j, o, "kpis", s->kpi);
    if (w->plan->eff_freq > 0)
        mpi_json_num(j, k, "effective_reach", s->eff_reach);
    mpi_json_num(j, o, "cpa", v->cpa);
    mpi_json_num(j, o, "cost_per_return", v->per_return);
    mpi_json_num(j, o, "roas", v->roas);
    scenario_channels(j, o, w, v, base_ok);
    media_object(j, o, "media", s->media);
    mpi_json_num(j, o, "unspent", s->unspent);
    if (s->book_spend)
        booking_array(j, o, w, s);
    if (s->stopped_by) {
        mpi_json_str(j, o, "stopped_by", s->stopped_by);
        node *rows = mpi_json_array(j, o, "stopped_by_rows");
        if (s->stopped_also || strcmp(s->stopped_by, s->stopped_words[MPI_LANG_EN]))
            mpi_json_str(j, rows, NULL, s->stopped_by); /* a row, not why none stops it */
        if (s->stopped_also)
            mpi_json_str(j, rows, NULL, s->stopped_also);
    }
    if (s->quant)
        quantiles_object(j, o, w->plan, s->quant);
    if (s->hold)
        scenario_held(j, o, w->plan, s->hold);
    if (s->draws_stopped)
        mpi_json_bool(j, o, "draws_stopped", 1);
    if (w->plan->obj_sense < 0) {
        /* a min plan's budget is a ceiling with a zero price: its margin is
         * the cost of one more unit of the binding target */
        char unit[96];
        mpi_marginal_cost_unit(w->plan, s->marginal_kpi, unit, sizeof unit);
        mpi_json_num(j, o, "marginal_cost", s->marginal);
        mpi_json_str(j, o, "marginal_unit", unit);
    } else {
        mpi_json_num(j, o, "marginal_return", s->marginal);
    }
    if (!base_ok)
        return;
    node *delta = mpi_json_object(j, o, "delta");
    mpi_json_num(j, delta, "objective", v->delta_objective);
    mpi_json_num(j, delta, "budget_equivalent", v->budget_equivalent);
    spends_array(j, delta, w, v->delta_spend);
    media_object(j, delta, "media", v->delta_media);
}

static void scenario_object(mpi_json *j, node *scs, const mp_whatif *w, const mpi_whatif_report *wr,
                            size_t i)
{
    const mpi_report_scenario *v = &wr->scen[i];
    const mpi_scen *s = v->s;
    node *o = mpi_json_object(j, scs, NULL);
    node *params = mpi_json_object(j, o, "params");
    for (size_t a = 0; a < w->nax; a++)
        mpi_json_num(j, params, w->ax[a].label, w->ax[a].values[s->idx[a]]);
    mpi_json_str(j, o, "status", v->status);
    if (s->explain)
        mpi_json_str(j, o, "explanation", s->explain);
    node *obj = mpi_json_object(j, o, "objective");
    mpi_json_str(j, obj, "kpi", wr->base->obj.kpi);
    mpi_json_num(j, obj, "value", v->solved ? s->objective : NAN);
    mpi_json_num(j, obj, "lp", v->solved ? s->lp_objective : NAN);
    mpi_json_num(j, obj, "bound", v->solved ? s->bound : NAN);
    mpi_json_num(j, obj, "gap", v->solved ? s->gap : NAN);
    if (s->booked)
        mip_fields(j, o, s->mip_status, s->mip_nodes, s->mip_gap, s->mip_relax);
    if (v->solved)
        scenario_figures(j, o, w, v, wr->base->solved);
}

typedef struct whatif_doc {
    const mp_whatif *w;
    const mpi_whatif_report *wr;
} whatif_doc;

static void build_whatif(mpi_json *j, node *root, const void *arg)
{
    const whatif_doc *d = arg;
    const mp_whatif *w = d->w;
    result_doc(j, mpi_json_object(j, root, "base"), d->wr->base);
    /* the run's own warnings; the plan's are the base's */
    node *warn = mpi_json_array(j, root, "warnings");
    for (size_t i = 0; i < w->diag.warn.n; i++)
        mpi_json_str(j, warn, NULL, w->diag.warn.v[i]);
    axes_array(j, root, w);
    node *scs = mpi_json_array(j, root, "scenarios");
    for (size_t i = 0; i < d->wr->n; i++)
        scenario_object(j, scs, w, d->wr, i);
}

static mp_status write_whatif(const mp_whatif *w, const char *path, FILE *out)
{
    mpi_clear_error();
    if (!w || (!path && !out))
        return mpi_fail(MP_ERR_INPUT, N_("no what-if run, or nowhere to write its JSON"));
    mpi_whatif_report wr;
    mp_status st = mpi_whatif_report_build(w, &wr);
    if (st != MP_OK)
        return st;
    whatif_doc d = {w, &wr};
    st = mpi_json_stream(path, out, build_whatif, &d);
    mpi_whatif_report_free(&wr);
    return st;
}

mp_status mp_whatif_write_json(const mp_whatif *w, const char *path)
{
    return write_whatif(w, path, NULL);
}

mp_status mp_whatif_write_json_to(const mp_whatif *w, FILE *out)
{
    return write_whatif(w, NULL, out);
}
