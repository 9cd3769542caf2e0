/* Uncertain curves at the plan level: [plan] risk and draws, the draws'
 * alignment across channels, and the chosen plan's outcomes over the draws
 * (P10 / P50 / P90 and mean). The draws themselves and the mean curve the
 * plan is optimised on are the models' (models/draws.c, response.c).
 *
 * Aligned draws (the default) are one joint posterior: draw d of every
 * channel goes together, and the plan's outcome in draw d is the sum of its
 * channels'. Independent draws: every combination of the channels' draws is
 * an outcome, weighted by the product of their weights; the mean is the sum
 * of the channels' means either way, the quantiles are counted over every
 * combination up to MPI_DRAWS_ALL_COMBOS of them, else over a fixed-seed
 * sample of MPI_DRAWS_SAMPLE combinations (the same figures on every run). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define MPI_DRAWS_ALL_COMBOS 1000000
#define MPI_DRAWS_SAMPLE     100000

/* risk = mean | worst | cvar P%: the share P above 0 and at most 50 %. */
static mp_status risk_value(mp_plan *plan, const mpi_loc *loc, const char *v)
{
    if (mpi_strieq(v, "mean") || mpi_strieq(v, "worst")) {
        plan->risk = mpi_strieq(v, "mean") ? MPI_RISK_MEAN : MPI_RISK_WORST;
        return MP_OK;
    }
    if (strncmp(v, "cvar", 4) && strncmp(v, "CVaR", 4) && strncmp(v, "CVAR", 4))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected mean (the expected objective over the draws), cvar 10%% "
                              "(the mean of the worst 10%% of draws) or worst (the worst draw), "
                              "got \"%s\""),
                           v);
    const char *p = v + 4;
    while (*p == ' ' || *p == '\t')
        p++;
    double a = 0;
    mp_status st = *p ? mpi_get_frac(p, loc, &a) : MP_ERR_INPUT;
    if (st == MP_OK && a > 0 && a <= 0.5) {
        plan->risk = MPI_RISK_CVAR;
        plan->risk_level = a;
        return MP_OK;
    }
    mpi_clear_error();
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("expected cvar and the share of the worst draws it averages, above 0 "
                          "and at most 50%%, as in \"cvar 10%%\", got \"%s\""),
                       v);
}

mp_status mpi_must_hold_value(const mpi_loc *loc, const char *v, int *out)
{
    if (mpi_strieq(v, "all") || mpi_strieq(v, "mean")) {
        *out = mpi_strieq(v, "all") ? MPI_HOLD_ALL : MPI_HOLD_MEAN;
        return MP_OK;
    }
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("expected all (the constraint holds in every draw) or mean (in "
                          "expectation over the draws, the default), got \"%s\""),
                       v);
}

mp_status mpi_draws_plan_key(mp_plan *plan, const mpi_loc *loc, const char *v)
{
    if (!strcmp(loc->key, "must_hold")) {
        plan->must_hold_line = loc->line;
        return mpi_must_hold_value(loc, v, &plan->must_hold);
    }
    if (!strcmp(loc->key, "risk")) {
        plan->risk_line = loc->line;
        return risk_value(plan, loc, v);
    }
    plan->draws_line = loc->line;
    if (mpi_strieq(v, "aligned"))
        plan->draws_independent = 0;
    else if (mpi_strieq(v, "independent"))
        plan->draws_independent = 1;
    else
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected aligned (draw d of every channel together, one joint "
                              "posterior) or independent, got \"%s\""),
                           v);
    return MP_OK;
}

int mpi_plan_has_draws(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].resp.nd)
            return 1;
    return 0;
}

/* The plan line that gave channel ch its draws: its draws file, or a range. */
static int draws_line(const mpi_channel *ch)
{
    if (ch->resp.draws_line)
        return ch->resp.draws_line;
    for (int k = 0; k < MPI_RK_COUNT; k++)
        if (ch->resp.range[k] > 0)
            return ch->resp.range_line[k];
    return ch->line;
}

/* The key that gave channel ch its draws: draws, or a range's key. */
static const char *draws_key(const mpi_channel *ch)
{
    static const char *const names[MPI_RK_COUNT] = {"beta",  "ec",    "slope", "k",  "lambda",
                                                    "scale", "value", "cvr",   "ctr"};
    if (ch->resp.draws_path)
        return "draws";
    for (int k = 0; k < MPI_RK_COUNT; k++)
        if (ch->resp.range[k] > 0)
            return names[k];
    return NULL;
}

/* ---- pairing aligned draws by id ------------------------------------- */

typedef struct id_ref {
    const char *id;
    size_t d;
} id_ref;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const id_ref *)a)->id, ((const id_ref *)b)->id);
}

/* r's ids sorted (*out, r->nd of them); a repeated id is refused. */
static mp_status ids_sorted(const mpi_resp *r, id_ref **out)
{
    id_ref *v = mpi_calloc(r->nd, sizeof *v);
    if (!v)
        return mpi_nomem();
    for (size_t d = 0; d < r->nd; d++)
        v[d] = (id_ref){r->ids[d], d};
    qsort(v, r->nd, sizeof *v, by_id);
    for (size_t i = 1; i < r->nd; i++)
        if (!strcmp(v[i].id, v[i - 1].id)) {
            size_t d = v[i].d > v[i - 1].d ? v[i].d : v[i - 1].d;
            mpi_loc loc = {r->draws_path, r->dline[d], "draw"};
            free(v);
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("draw %s is given twice: each draw (chain and draw) once"),
                               r->ids[d]);
        }
    *out = v;
    return MP_OK;
}

/* Reorder r's draws (curves, ids, lines) by perm: new position j holds old
 * draw perm[j]. The weights are equal (files), so they stay. */
static mp_status draws_permute(mpi_resp *r, const size_t *perm)
{
    mpi_resp *dr = mpi_calloc(r->nd, sizeof *dr);
    char **ids = mpi_calloc(r->nd, sizeof *ids);
    int *dline = mpi_calloc(r->nd, sizeof *dline);
    if (!dr || !ids || !dline) {
        free(dr);
        free(ids);
        free(dline);
        return mpi_nomem();
    }
    for (size_t j = 0; j < r->nd; j++) {
        dr[j] = r->dr[perm[j]];
        ids[j] = r->ids[perm[j]];
        dline[j] = r->dline[perm[j]];
    }
    free(r->dr);
    free(r->ids);
    free(r->dline);
    r->dr = dr;
    r->ids = ids;
    r->dline = dline;
    return MP_OK;
}

/* Channel r's draws put in the order of ref's ids (sorted in v): every id
 * of r must be one of ref's. */
static mp_status pair_by_id(mpi_resp *r, const mpi_resp *ref, const id_ref *v)
{
    size_t *perm = mpi_calloc(r->nd, sizeof *perm);
    unsigned char *seen = mpi_calloc(r->nd, 1);
    mp_status st = perm && seen ? MP_OK : mpi_nomem();
    for (size_t d = 0; st == MP_OK && d < r->nd; d++) {
        id_ref key = {r->ids[d], 0};
        const id_ref *hit = bsearch(&key, v, ref->nd, sizeof *v, by_id);
        mpi_loc loc = {r->draws_path, r->dline[d], "draw"};
        if (!hit)
            st = mpi_fail_at(MP_ERR_INPUT, &loc,
                             N_("draw %s is not in %s: aligned draws are paired by their draw "
                                "(and chain) ids, and every file must have the same ones"),
                             r->ids[d], ref->draws_path);
        else if (seen[hit->d]++)
            st = mpi_fail_at(MP_ERR_INPUT, &loc,
                             N_("draw %s is given twice: each draw (chain and draw) once"),
                             r->ids[d]);
        else
            perm[hit->d] = d;
    }
    if (st == MP_OK)
        st = draws_permute(r, perm);
    free(perm);
    free(seen);
    return st;
}

/* Aligned draws files pair by id when every one has a draw column, by row
 * when none has: one with ids and one without are refused, naming both (a
 * range's three points pair by position, and their weights already differ
 * from a file's). */
static mp_status ids_everywhere(const mp_plan *plan)
{
    const mpi_channel *with = NULL, *without = NULL;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!ch->resp.nd || !ch->resp.draws_path)
            continue;
        if (ch->resp.ids && !with)
            with = ch;
        else if (!ch->resp.ids && !without)
            without = ch;
    }
    if (!with || !without)
        return MP_OK;
    mpi_loc loc = {plan->path, without->resp.draws_line, "draws"};
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("channel \"%s\": %s has no draw column and %s (channel \"%s\", line "
                          "%d) has one: aligned draws pair by draw id when every file has a "
                          "draw column, by row when none has; add the draw column to %s (or "
                          "drop it from %s)"),
                       without->name, without->resp.draws_path, with->resp.draws_path, with->name,
                       with->resp.draws_line, without->resp.draws_path, with->resp.draws_path);
}

/* When every channel's draws come from a file with a draw column, draw d
 * of each is the one whose id is draw d's of the first: the files may list
 * them in any order. */
static mp_status align_by_id(mp_plan *plan)
{
    mpi_resp *ref = NULL;
    mp_status st = ids_everywhere(plan);
    if (st != MP_OK)
        return st;
    for (size_t c = 0; c < plan->nch; c++) {
        mpi_resp *r = &plan->ch[c].resp;
        if (!r->draws_path) /* no draws, or a range: crossed with the files after */
            continue;
        if (r->nd && !r->ids)
            return MP_OK; /* files without ids: by position */
        if (r->nd && !ref)
            ref = r;
    }
    id_ref *v = NULL;
    st = ref ? ids_sorted(ref, &v) : MP_OK;
    for (size_t c = 0; st == MP_OK && ref && c < plan->nch; c++) {
        mpi_resp *r = &plan->ch[c].resp;
        if (r->nd && r->draws_path && r != ref)
            st = pair_by_id(r, ref, v);
    }
    free(v);
    return st;
}

/* [plan] risk and draws without a channel of draws: said, as they change
 * nothing (a plan whose draws file was dropped, say). */
static mp_status warn_no_draws(mp_plan *plan)
{
    mp_status st = MP_OK;
    if (plan->risk_line)
        st = mpi_warn(&plan->diag,
                      N_("%s:%d: risk: no channel has draws (draws = FILE or a range, +-), so "
                         "the risk has no effect: the plan is optimised on its one curve each"),
                      plan->path, plan->risk_line);
    if (st == MP_OK && plan->draws_line)
        st = mpi_warn(&plan->diag,
                      N_("%s:%d: draws: no channel has draws (draws = FILE or a range, +-), so "
                         "aligned or independent has no effect"),
                      plan->path, plan->draws_line);
    for (size_t i = 0; st == MP_OK && i < plan->ncons; i++)
        if (plan->cons[i].must_hold_line)
            st = mpi_warn(&plan->diag,
                          N_("%s:%d: must_hold: no channel has draws (draws = FILE or a range, "
                             "+-), so the constraint holds as it is, there being one curve"),
                          plan->path, plan->cons[i].must_hold_line);
    if (st == MP_OK && plan->must_hold_line)
        st = mpi_warn(&plan->diag,
                      N_("%s:%d: must_hold: no channel has draws (draws = FILE or a range, +-), "
                         "so the constraints hold as they are, there being one curve"),
                      plan->path, plan->must_hold_line);
    return st;
}

/* What must_hold = all needs: aligned draws (a row per draw) and no
 * booking; a constraint's own must_hold = all an uncertain outcome (a
 * share of spend or a reach is the same in every draw). */
static mp_status hold_check(const mp_plan *plan)
{
    for (size_t i = 0; i < plan->ncons; i++) {
        const mpi_constraint *c = &plan->cons[i];
        mpi_loc loc = {plan->path, c->must_hold_line, "must_hold"};
        if (c->must_hold == MPI_HOLD_ALL && !mpi_cons_uncertain(&c->e))
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("constraint \"%s\" is on spend or reach, the same in every "
                                  "draw: must_hold = all applies to cpa, roas and KPI totals "
                                  "(conversions, revenue, clicks); drop it"),
                               c->name);
        if (c->must_hold == MPI_HOLD_ALL && !mpi_cons_floor(&c->e))
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("constraint \"%s\" caps an uncertain outcome: held in every "
                                  "draw, the straight-line model would meet it by buying a curve's "
                                  "flat end before its start, which no buy does; "
                                  "must_hold = all takes floors (conversions >= ..., cpa <= ..., "
                                  "roas >= ...); drop it"),
                               c->name);
    }
    int line = 0; /* the line that asks for a row per draw, if any */
    for (size_t i = 0; i < plan->ncons && !line; i++)
        if (mpi_cons_must_hold(plan, i))
            line =
                plan->cons[i].must_hold_line ? plan->cons[i].must_hold_line : plan->must_hold_line;
    if (!line || !mpi_plan_has_draws(plan))
        return MP_OK;
    mpi_loc loc = {plan->path, line, "must_hold"};
    if (plan->draws_independent)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("independent draws make every combination of the channels' draws "
                              "a scenario (too many for a row each): must_hold = all needs "
                              "aligned draws (draw d of every channel together)"));
    if (mpi_plan_booked(plan))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("must_hold = all holds on plans bought freely: a plan with booking "
                              "keys (flights, whole spots or insertions) takes must_hold = mean"));
    return MP_OK;
}

/* What risk = cvar or worst needs: draws, a max objective, aligned draws
 * and no booking (the risk LP is the plan's LP, not its MIP). */
static mp_status risk_check(const mp_plan *plan)
{
    mpi_loc loc = {plan->path, plan->risk_line, "risk"};
    if (plan->risk == MPI_RISK_MEAN)
        return MP_OK;
    if (!mpi_plan_has_draws(plan))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("no channel has draws: give a channel draws = FILE or a range "
                              "(beta = 620 +- 15%%), or drop risk"));
    if (plan->obj_sense < 0)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("a min plan's cost is certain and its targets hold in expectation: "
                              "risk = cvar or worst applies to a max objective; drop risk"));
    if (plan->draws_independent)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("independent draws make every combination of the channels' draws "
                              "a scenario (too many to optimise over): cvar and worst need "
                              "aligned draws (draw d of every channel together)"));
    if (mpi_plan_booked(plan))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("cvar and worst plan media bought freely: a plan with booking keys "
                              "(flights, whole spots or insertions) takes risk = mean"));
    return MP_OK;
}

/* A channel whose draws file failed (its errors listed, validate): nd 0
 * with a path; or a plan without draws after an error listed (validate),
 * which may have been a range's key ("beta = 620 +/ 15%") or a channel left
 * out: what needs draws is not judged then. */
static int draws_failed(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].resp.draws_path && !plan->ch[c].resp.nd)
            return 1;
    return plan->errors.n > 0 && !mpi_plan_has_draws(plan);
}

/* The channel the others' draws are counted against: the first with a
 * draws file, else the first with draws. */
static const mpi_channel *draws_ref(const mp_plan *plan)
{
    const mpi_channel *any = NULL;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (ch->resp.nd && ch->resp.draws_path)
            return ch;
        if (ch->resp.nd && !any)
            any = ch;
    }
    return any;
}

/* Aligned draws files have as many rows each (a range's three points with
 * them are crossed: cross_ranges); under cvar or worst, which independent
 * draws cannot take, the advice is to give them as many. */
static mp_status aligned_counts(const mp_plan *plan)
{
    const mpi_channel *first = draws_ref(plan);
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!ch->resp.nd || ch == first || !ch->resp.draws_path != !first->resp.draws_path ||
            ch->resp.nd == first->resp.nd)
            continue;
        mpi_loc loc = {plan->path, draws_line(ch), draws_key(ch)};
        char n1[32], n2[32];
        mpi_fmt_num(mpi_msg_lang(), n1, sizeof n1, (double)ch->resp.nd, 0);
        mpi_fmt_num(mpi_msg_lang(), n2, sizeof n2, (double)first->resp.nd, 0);
        if (plan->risk != MPI_RISK_MEAN)
            return mpi_fail_at(
                MP_ERR_INPUT, &loc,
                N_("channel \"%s\" has %s draws and channel \"%s\" %s (line %d): aligned draws "
                   "(one joint posterior) need as many in every channel, and cvar and worst "
                   "take aligned draws only: give every file as many rows (keep the first of "
                   "the longer posterior's, or thin it)"),
                ch->name, n1, first->name, n2, draws_line(first));
        return mpi_fail_at(
            MP_ERR_INPUT, &loc,
            N_("channel \"%s\" has %s draws and channel \"%s\" %s (line %d): aligned draws "
               "(one joint posterior) need as many in every channel; say [plan] draws = "
               "independent when they are not drawn together"),
            ch->name, n1, first->name, n2, draws_line(first));
    }
    return MP_OK;
}

/* Ranges with aligned draws files (README, Uncertain curves): each file
 * draw d with each of the ranges' points p, weighted w_d w_p, so that the
 * ranges are independent of the files' posterior and keep their points'
 * weights exactly (the ranges move together, as among themselves). */
static mp_status cross_ranges(mp_plan *plan)
{
    const mpi_resp *file = NULL, *range = NULL;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_resp *r = &plan->ch[c].resp;
        if (r->nd && r->draws_path && !file)
            file = r;
        else if (r->nd && !r->draws_path && !range)
            range = r;
    }
    if (!file || !range)
        return MP_OK;
    size_t n = file->nd, m = range->nd;
    double *wn = mpi_calloc(n, sizeof *wn), *wm = mpi_calloc(m, sizeof *wm);
    mp_status st = wn && wm ? MP_OK : mpi_nomem();
    if (st == MP_OK) {
        memcpy(wn, file->dw, n * sizeof *wn);
        memcpy(wm, range->dw, m * sizeof *wm);
    }
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        mpi_resp *r = &plan->ch[c].resp;
        if (r->nd)
            st = mpi_draws_cross(r, wn, n, wm, m, !r->draws_path);
    }
    if (st == MP_OK)
        plan->draws_crossed = n;
    free(wn);
    free(wm);
    return st;
}

mp_status mpi_draws_load(mp_plan *plan)
{
    if (draws_failed(plan)) /* judged on the draws of every channel, or not at all */
        return MP_OK;
    mp_status st0 = risk_check(plan);
    if (st0 == MP_OK)
        st0 = hold_check(plan);
    if (st0 != MP_OK)
        return st0;
    if (!mpi_plan_has_draws(plan))
        return warn_no_draws(plan);
    if (plan->draws_independent)
        return MP_OK;
    mp_status st = aligned_counts(plan);
    if (st == MP_OK)
        st = align_by_id(plan);
    return st == MP_OK ? cross_ranges(plan) : st;
}

/* ---- quantiles ------------------------------------------------------------ */

typedef struct wpoint {
    double x, w;
} wpoint;

double mpi_quantile_at(const double *x, const double *w, size_t n, double p)
{
    double total = 0, cum = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    /* a relative margin: ten draws of 0.1 reach 10 % at the first one */
    double need = p * total * (1 - 1e-12);
    for (size_t i = 0; i < n; i++) {
        cum += w[i];
        if (cum >= need)
            return x[i];
    }
    return n ? x[n - 1] : NAN;
}

/* Three-way partition of pts[lo..hi) around pivot: [lo, *lt) below it,
 * [*lt, *gt) equal, [*gt, hi) above; the weights of the first two. */
static void partition3(wpoint *pts, size_t lo, size_t hi, double pivot, size_t *lt, size_t *gt,
                       double *w_below, double *w_equal)
{
    size_t a = lo, i = lo, b = hi;
    double below = 0, equal = 0;
    while (i < b) {
        wpoint t = pts[i];
        if (t.x < pivot) {
            below += t.w;
            pts[i++] = pts[a];
            pts[a++] = t;
        } else if (t.x > pivot) {
            pts[i] = pts[--b];
            pts[b] = t;
        } else {
            equal += t.w;
            i++;
        }
    }
    *lt = a;
    *gt = b;
    *w_below = below;
    *w_equal = equal;
}

/* The smallest outcome of pts[0..n) with at least need of the weight at or
 * below it (mpi_quantile_at's, without sorting: a weighted quickselect,
 * linear on average; pts reordered), or top when rounding leaves need
 * unreached. */
static double select_weighted(wpoint *pts, size_t n, double need, double top)
{
    size_t lo = 0, hi = n;
    double under = 0; /* the weight of the outcomes left of lo */
    while (lo < hi) {
        double a = pts[lo].x, b = pts[lo + (hi - lo) / 2].x, c = pts[hi - 1].x;
        double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t lt, gt;
        double wb, we;
        partition3(pts, lo, hi, pivot, &lt, &gt, &wb, &we);
        if (under + wb >= need && lt > lo)
            hi = lt;
        else if (under + wb + we >= need)
            return pivot;
        else {
            under += wb + we;
            lo = gt;
        }
    }
    return top;
}

/* The mean and quantiles of pts[0..n) (reordered here). */
static mp_status qset_of(wpoint *pts, size_t n, mpi_qset *out)
{
    double total = 0, sum = 0, top = n ? pts[0].x : NAN;
    for (size_t i = 0; i < n; i++) {
        total += pts[i].w;
        sum += pts[i].w * pts[i].x;
        top = pts[i].x > top ? pts[i].x : top;
    }
    out->mean = total > 0 ? sum / total : NAN;
    /* a relative margin, as mpi_quantile_at's: ten draws of 0.1 reach 10 % at the first */
    out->p10 = select_weighted(pts, n, 0.10 * total * (1 - 1e-12), top);
    out->p50 = select_weighted(pts, n, 0.50 * total * (1 - 1e-12), top);
    out->p90 = select_weighted(pts, n, 0.90 * total * (1 - 1e-12), top);
    return MP_OK;
}

/* A min plan's target: its first constraint on a KPI total over every
 * channel with a lower bound (conversions >= 4000), -1 when none. */
static int min_target(const mp_plan *plan)
{
    for (size_t i = 0; plan->obj_sense < 0 && i < plan->ncons; i++) {
        const mpi_expr *e = &plan->cons[i].e;
        if (e->measure == MPI_M_KPI && e->op == MPI_GE && !e->in && !e->ing)
            return (int)i;
    }
    return -1;
}

/* The KPI the quantiles are in: a max plan's objective, a min plan's
 * target's (the spread of what it was built for), else its return. */
static int quantile_kpi(const mp_plan *plan)
{
    mpi_objective obj;
    mpi_objective_of(plan, &obj);
    int t = min_target(plan);
    return plan->obj_sense > 0 ? obj.q : t >= 0 ? plan->cons[t].e.kpi : obj.return_q;
}

/* The min plan's target in qs (its bound in sol's scenario). */
static void target_of(const mp_solution *sol, mpi_quantiles *qs)
{
    const mp_plan *plan = sol->plan;
    qs->target = min_target(plan);
    qs->met = qs->target_value = NAN;
    if (qs->target < 0)
        return;
    double b = sol->sc ? sol->sc->bound[qs->target] : NAN;
    qs->target_value = isnan(b) ? plan->cons[qs->target].e.value : b;
}

/* The weight share of pts[0..n) at or above the target (a relative margin
 * for the rounding of a target met exactly in expectation). */
static double met_share(const wpoint *pts, size_t n, double v)
{
    double total = 0, met = 0, at = v - 1e-9 * fabs(v);
    for (size_t i = 0; i < n; i++) {
        total += pts[i].w;
        met += pts[i].x >= at ? pts[i].w : 0;
    }
    return total > 0 ? met / total : NAN;
}

/* Each channel's outcome in each of its draws at the plan's spends (out[c],
 * [nd], for channels with draws) or certain (fixed[c]): the exact model at
 * the fill of each of its curves, the response after the plan included. */
static void channel_outcomes(const mp_solution *sol, int q, double **out, double *fixed)
{
    const mp_plan *plan = sol->plan;
    const mpi_model *m = &sol->model;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_resp *r = &plan->ch[c].resp;
        fixed[c] = MPI_CH_KPI(sol, c, q) + (sol->after_kpi ? sol->after_kpi[c * MPI_NKPI + q] : 0);
        for (size_t d = 0; r->factor && d < r->nd; d++) /* a rate's draws scale it all */
            out[c][d] = fixed[c] * (r->factor_q & (1u << q) ? r->factor[d] : 1);
    }
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        const mpi_resp *r = &plan->ch[cv->channel].resp;
        if (!r->nd || r->factor)
            continue;
        double x = mpi_curve_spend(sol, cv), v[MPI_NKPI];
        if (!(x > 0))
            continue;
        for (size_t d = 0; d < r->nd; d++) {
            mpi_curve_exact_draw(m, cv, d, x, v);
            out[cv->channel][d] += v[q];
        }
    }
}

/* A risk plan's measure over the aligned draws' totals pts (qs->risk);
 * -HUGE_VAL: out of memory. */
static double risk_of(const mp_plan *plan, const wpoint *pts, const mpi_resp *r0)
{
    double *y = mpi_calloc(r0->nd, sizeof *y);
    if (!y)
        return -HUGE_VAL;
    for (size_t d = 0; d < r0->nd; d++)
        y[d] = pts[d].x;
    double v = mpi_risk_measure(y, r0->dw, r0->nd, plan->risk, plan->risk_level);
    free(y);
    return v;
}

/* The plan's total in each aligned draw. */
static mp_status aligned_total(const mp_plan *plan, double **out, const double *fixed,
                               mpi_quantiles *qs)
{
    const mpi_resp *r0 = NULL;
    for (size_t c = 0; c < plan->nch && !r0; c++)
        if (plan->ch[c].resp.nd)
            r0 = &plan->ch[c].resp;
    wpoint *pts = mpi_calloc(r0->nd, sizeof *pts);
    if (!pts)
        return mpi_nomem();
    for (size_t d = 0; d < r0->nd; d++) {
        pts[d].w = r0->dw[d];
        for (size_t c = 0; c < plan->nch; c++)
            pts[d].x += plan->ch[c].resp.nd ? out[c][d] : fixed[c];
    }
    qs->ndraws = r0->nd;
    qs->combos = (double)r0->nd;
    if (plan->risk != MPI_RISK_MEAN && (qs->risk = risk_of(plan, pts, r0)) == -HUGE_VAL) {
        free(pts);
        return mpi_nomem();
    }
    if (qs->target >= 0)
        qs->met = met_share(pts, r0->nd, qs->target_value);
    mp_status st = qset_of(pts, r0->nd, &qs->obj);
    free(pts);
    return st;
}

/* splitmix64: a fixed-seed stream for the sampled combinations. */
static double next_unit(unsigned long long *s)
{
    unsigned long long z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* Draw index whose cumulative weight cum[0..nd) first passes u (in
 * [0, 1)): a binary search, the draw a scan adding the weights finds. */
static size_t pick_draw(const double *cum, size_t nd, double u)
{
    size_t lo = 0, hi = nd - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Each channel's cumulative draw weights, added in draw order (NULL for a
 * certain channel). */
static double **cumulative_weights(const mp_plan *plan)
{
    double **cum = mpi_calloc(plan->nch ? plan->nch : 1, sizeof *cum);
    for (size_t c = 0; cum && c < plan->nch; c++) {
        const mpi_resp *r = &plan->ch[c].resp;
        if (!r->nd)
            continue;
        if (!(cum[c] = mpi_calloc(r->nd, sizeof **cum))) {
            for (size_t i = 0; i < c; i++)
                free(cum[i]);
            free(cum);
            return NULL;
        }
        double sum = 0;
        for (size_t d = 0; d < r->nd; d++)
            cum[c][d] = sum += r->dw[d];
    }
    return cum;
}

/* Combination k (mixed radix over the channels' draws), or with cum a
 * sampled one. */
static void combination(const mp_plan *plan, double **out, const double *fixed, size_t k,
                        double *const *cum, unsigned long long *seed, wpoint *p)
{
    p->x = 0;
    p->w = 1;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_resp *r = &plan->ch[c].resp;
        if (!r->nd) {
            p->x += fixed[c];
            continue;
        }
        size_t d = cum ? pick_draw(cum[c], r->nd, next_unit(seed)) : k % r->nd;
        if (!cum) {
            k /= r->nd;
            p->w *= r->dw[d];
        }
        p->x += out[c][d];
    }
}

/* The plan's total over independent channels' draws. */
static mp_status independent_total(const mp_plan *plan, double **out, const double *fixed,
                                   mpi_quantiles *qs)
{
    double combos = 1, mean = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_resp *r = &plan->ch[c].resp;
        combos *= r->nd ? (double)r->nd : 1;
        double m = r->nd ? 0 : fixed[c];
        for (size_t d = 0; d < r->nd; d++)
            m += r->dw[d] * out[c][d];
        mean += m;
    }
    qs->sampled = combos > MPI_DRAWS_ALL_COMBOS;
    size_t n = qs->sampled ? MPI_DRAWS_SAMPLE : (size_t)combos;
    wpoint *pts = mpi_calloc(n, sizeof *pts);
    double **cum = qs->sampled ? cumulative_weights(plan) : NULL;
    if (!pts || (qs->sampled && !cum)) {
        free(pts);
        free(cum);
        return mpi_nomem();
    }
    unsigned long long seed = 20261129ull;
    for (size_t k = 0; k < n; k++)
        combination(plan, out, fixed, k, cum, &seed, &pts[k]);
    for (size_t c = 0; cum && c < plan->nch; c++)
        free(cum[c]);
    free(cum);
    qs->ndraws = n;
    qs->combos = combos;
    if (qs->target >= 0) /* of the combinations counted */
        qs->met = met_share(pts, n, qs->target_value);
    mp_status st = qset_of(pts, n, &qs->obj);
    qs->obj.mean = mean; /* exact, sampled or not */
    free(pts);
    return st;
}

/* Each channel's own quantiles (a certain one's are its figure). */
static mp_status channel_sets(const mp_plan *plan, double **out, const double *fixed,
                              mpi_quantiles *qs)
{
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_resp *r = &plan->ch[c].resp;
        qs->ch_nd[c] = r->nd_own ? r->nd_own : r->nd;
        if (!r->nd) {
            qs->ch[c] = (mpi_qset){fixed[c], fixed[c], fixed[c], fixed[c]};
            continue;
        }
        wpoint *pts = mpi_calloc(r->nd, sizeof *pts);
        if (!pts)
            return mpi_nomem();
        for (size_t d = 0; d < r->nd; d++)
            pts[d] = (wpoint){out[c][d], r->dw[d]};
        mp_status st = qset_of(pts, r->nd, &qs->ch[c]);
        free(pts);
        if (st != MP_OK)
            return st;
    }
    return MP_OK;
}

/* Room for each channel's outcomes per draw. */
static double **outcomes_alloc(const mp_plan *plan)
{
    double **out = mpi_calloc(plan->nch, sizeof *out);
    for (size_t c = 0; out && c < plan->nch; c++) {
        size_t nd = plan->ch[c].resp.nd;
        if (nd && !(out[c] = mpi_calloc(nd, sizeof **out))) {
            for (size_t i = 0; i < c; i++)
                free(out[i]);
            free(out);
            return NULL;
        }
    }
    return out;
}

mp_status mpi_draws_quantiles(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    if (!mpi_plan_has_draws(plan)) /* a what-if scenario's (light) too */
        return MP_OK;
    mpi_quantiles *qs = mpi_calloc(1, sizeof *qs);
    double **out = outcomes_alloc(plan);
    double *fixed = mpi_calloc(plan->nch, sizeof *fixed);
    mp_status st = MP_OK;
    if (qs) {
        qs->ch = mpi_calloc(plan->nch, sizeof *qs->ch);
        qs->ch_nd = mpi_calloc(plan->nch, sizeof *qs->ch_nd);
    }
    if (!qs || !out || !fixed || !qs->ch || !qs->ch_nd)
        st = mpi_nomem();
    if (st == MP_OK) {
        qs->q = quantile_kpi(plan);
        qs->risk = NAN;
        target_of(sol, qs);
        channel_outcomes(sol, qs->q, out, fixed);
        st = channel_sets(plan, out, fixed, qs);
    }
    if (st == MP_OK)
        st = plan->draws_independent ? independent_total(plan, out, fixed, qs)
                                     : aligned_total(plan, out, fixed, qs);
    for (size_t c = 0; out && c < plan->nch; c++)
        free(out[c]);
    free(out);
    free(fixed);
    if (st != MP_OK) {
        mpi_quantiles_free(qs);
        return st;
    }
    sol->quant = qs;
    return MP_OK;
}

void mpi_quantiles_free(mpi_quantiles *q)
{
    if (!q)
        return;
    free(q->ch);
    free(q->ch_nd);
    free(q);
}

mp_status mpi_draws_totals(const mp_solution *sol, double *y)
{
    const mp_plan *plan = sol->plan;
    double **out = outcomes_alloc(plan);
    double *fixed = mpi_calloc(plan->nch ? plan->nch : 1, sizeof *fixed);
    if (!out || !fixed) {
        for (size_t c = 0; out && c < plan->nch; c++)
            free(out[c]);
        free(out);
        free(fixed);
        return mpi_nomem();
    }
    channel_outcomes(sol, quantile_kpi(plan), out, fixed);
    size_t nd = mpi_plan_draws(plan);
    for (size_t d = 0; d < nd; d++) {
        y[d] = 0;
        for (size_t c = 0; c < plan->nch; c++)
            y[d] += plan->ch[c].resp.nd ? out[c][d] : fixed[c];
    }
    for (size_t c = 0; c < plan->nch; c++)
        free(out[c]);
    free(out);
    free(fixed);
    return MP_OK;
}

size_t mpi_plan_draws(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].resp.nd)
            return plan->ch[c].resp.nd;
    return 0;
}

const double *mpi_plan_draw_weights(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].resp.nd)
            return plan->ch[c].resp.dw;
    return NULL;
}

int mpi_draws_three_points(const mp_plan *plan)
{
    int any = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_resp *r = &plan->ch[c].resp;
        if (r->nd && (r->draws_path || r->nd != 3))
            return 0;
        any |= r->nd > 0;
    }
    return any;
}

int mpi_draws_points_only(const mp_plan *plan)
{
    return !plan->draws_independent && mpi_draws_three_points(plan);
}

/* How many channels have draws. */
static size_t uncertain_channels(const mp_plan *plan)
{
    size_t n = 0;
    for (size_t c = 0; c < plan->nch; c++)
        n += plan->ch[c].resp.nd > 0;
    return n;
}

void mpi_draws_basis_text(mpi_lang lang, const mp_plan *plan, const mpi_quantiles *qs, char *buf,
                          size_t n)
{
    char a[64], b[64];
    mpi_fmt_num(lang, a, sizeof a, qs->combos, 0);
    mpi_fmt_num(lang, b, sizeof b, (double)qs->ndraws, 0);
    if (!plan->draws_independent && plan->draws_crossed) {
        mpi_fmt_num(lang, a, sizeof a, (double)plan->draws_crossed, 0);
        snprintf(buf, n,
                 mpi_tr(lang, N_("%s draws, each with the ranges' low, base and high points "
                                 "weighted 1/6, 2/3 and 1/6: %s outcomes")),
                 a, b);
    } else if (mpi_draws_points_only(plan))
        snprintf(buf, n, "%s",
                 mpi_tr(lang, N_("the ranges' low, base and high points, weighted 1/6, 2/3 and "
                                 "1/6")));
    else if (!plan->draws_independent && uncertain_channels(plan) > 1)
        snprintf(buf, n, mpi_tr(lang, N_("%s draws, aligned across the channels")), b);
    else if (!plan->draws_independent || uncertain_channels(plan) < 2)
        snprintf(buf, n, mpi_trn(lang, "%s draw", "%s draws", (unsigned long)qs->ndraws), b);
    else if (!qs->sampled)
        snprintf(buf, n, mpi_tr(lang, N_("%s combinations of the channels' independent draws")), a);
    else
        snprintf(buf, n,
                 mpi_tr(lang, N_("%s combinations of the channels' independent draws, the "
                                 "quantiles from a fixed sample of %s of them")),
                 a, b);
}

size_t mpi_draw_number(const mp_plan *plan, size_t j)
{
    return plan->draws_crossed ? j % plan->draws_crossed + 1 : j + 1;
}

int mpi_draw_point(const mp_plan *plan, size_t j)
{
    return plan->draws_crossed && j / plan->draws_crossed < 3 ? (int)(j / plan->draws_crossed) : -1;
}

void mpi_draw_text(const mp_plan *plan, size_t j, mpi_lang lang, char *buf, size_t n)
{
    size_t all = plan->draws_crossed ? plan->draws_crossed : mpi_plan_draws(plan);
    size_t d = mpi_draw_number(plan, j);
    char a[32];
    mpi_fmt_num(lang, a, sizeof a, (double)all, 0);
    if (mpi_draws_points_only(plan) && j < 3) {
        static const char *const points[3] = {N_("the case of the ranges at their low point"),
                                              N_("the case of the ranges at their base value"),
                                              N_("the case of the ranges at their high point")};
        snprintf(buf, n, "%s", mpi_tr(lang, points[j]));
        return;
    }
    switch (mpi_draw_point(plan, j)) {
    case 0:
        snprintf(buf, n, mpi_tr(lang, N_("draw %zu of %s, the ranges at their low point")), d, a);
        break;
    case 1:
        snprintf(buf, n, mpi_tr(lang, N_("draw %zu of %s, the ranges at their base value")), d, a);
        break;
    case 2:
        snprintf(buf, n, mpi_tr(lang, N_("draw %zu of %s, the ranges at their high point")), d, a);
        break;
    default: snprintf(buf, n, mpi_tr(lang, N_("draw %zu of %s")), d, a);
    }
}
