/* What-if runs: the plan re-solved over one or two varied parameters (search
 * inflation, budget, unit costs, constraint bounds: the axes of axes.c). The
 * curves are built once, covering every scenario, and repriced per scenario;
 * each LP starts from the previous scenario's optimal basis (dual simplex). A
 * booked plan's scenario is then its MIP (mip.c), branch and cut from that
 * scenario's refined relaxation, as optimize solves the base plan. */
#include "bound.h"
#include "whatif.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MPI_MAX_SCENARIOS 10000

void mp_whatif_opts_init(mp_whatif_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    mp_solve_opts_init(&o->solve);
}

int mpi_scen_solved(const mpi_scen *s)
{
    return (s->result == MP_RESULT_OPTIMAL || s->result == MP_RESULT_TIME_LIMIT) && !s->planless;
}

const mpi_quantiles *mpi_whatif_quant(const mp_whatif *w)
{
    if (w->base && w->base->quant)
        return w->base->quant;
    for (size_t i = 0; i < w->ns; i++)
        if (w->s[i].quant)
            return w->s[i].quant;
    return NULL;
}

void mp_whatif_free(mp_whatif *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nax; i++)
        mpi_axis_free(&w->ax[i]);
    for (size_t i = 0; w->s && i < w->ns; i++) {
        free(w->s[i].explain);
        free(w->s[i].stopped_by);
        free(w->s[i].stopped_also);
        for (int l = 0; l < MPI_NLANG; l++)
            free(w->s[i].stopped_words[l]);
        free(w->s[i].spend);
        free(w->s[i].ch_kpi);
        free(w->s[i].ceiling_spend);
        free(w->s[i].book_spend);
        free(w->s[i].book_units);
        free(w->s[i].book_airs);
        mpi_quantiles_free(w->s[i].quant);
        mpi_hold_out_free(w->s[i].hold);
    }
    free(w->s);
    mp_solution_free(w->base);
    mpi_diag_free(&w->diag);
    free(w);
}

size_t mp_whatif_count(const mp_whatif *w)
{
    return w ? w->ns : 0;
}

mp_result mp_whatif_scenario_result(const mp_whatif *w, size_t i)
{
    return w && i < w->ns ? (mp_result)w->s[i].result : MP_RESULT_INFEASIBLE;
}

double mp_whatif_scenario_objective(const mp_whatif *w, size_t i)
{
    return w && i < w->ns && mpi_scen_solved(&w->s[i]) ? w->s[i].objective : NAN;
}

double mp_whatif_sweep_seconds(const mp_whatif *w)
{
    return w ? w->sweep_s : NAN;
}

const mp_solution *mp_whatif_base(const mp_whatif *w)
{
    return w ? w->base : NULL;
}

size_t mp_whatif_warning_count(const mp_whatif *w)
{
    return w ? w->diag.warn.n : 0;
}

const char *mp_whatif_warning(const mp_whatif *w, size_t i)
{
    return w && i < w->diag.warn.n ? w->diag.warn.v[i] : NULL;
}

/* ---- the run ------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* What keeps the rest of the budget unspent (mpi_budget_stoppers): one or
 * two binding rows; none, the channels' caps or their saturation do, or in
 * a booked plan whole units when every booked channel's next step costs
 * more than is left. */
static mp_status name_stopper(const mp_solution *sol, mpi_scen *out)
{
    size_t rows[2];
    size_t k = mpi_budget_stoppers(sol, rows);
    const char *why = mpi_booked_steps_above(sol, out->unspent)
                          ? N_("whole spots, insertions or flights")
                          : N_("caps or saturation");
    out->stopped_by = mpi_strdup(k ? mpi_stopper_name(sol, rows[0]) : why);
    if (k > 1 && !(out->stopped_also = mpi_strdup(mpi_stopper_name(sol, rows[1]))))
        return mpi_nomem();
    for (int l = 0; l < MPI_NLANG; l++) {
        char words[MPI_TEXT_MAX];
        if (k)
            mpi_stoppers_words(sol, rows, k, 0, (mpi_lang)l, words, sizeof words);
        else
            snprintf(words, sizeof words, "%s", mpi_tr((mpi_lang)l, why));
        if (!(out->stopped_words[l] = mpi_strdup(words)))
            return mpi_nomem();
    }
    return out->stopped_by ? MP_OK : mpi_nomem();
}

/* Min plans: the budget's price is 0 (it is a ceiling the cheapest plan stays
 * under); what one more unit of the binding KPI target costs is its row's
 * shadow price on the exact curves (shadow.c), as optimize reports it. */
static void min_marginal(const mp_solution *sol, mpi_scen *out)
{
    const mpi_lp *lp = &sol->model.lp;
    const mp_plan *plan = sol->plan;
    out->marginal_kpi = -1;
    for (size_t r = 1; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (row->kind != MPI_ROW_CONSTRAINT || !sol->rows[r].binding ||
            plan->cons[row->ref].e.measure != MPI_M_KPI)
            continue;
        if (out->marginal_kpi < 0 || fabs(sol->rows[r].shadow) > fabs(out->marginal)) {
            out->marginal = sol->rows[r].shadow;
            out->marginal_kpi = plan->cons[row->ref].e.kpi;
        }
    }
}

/* A booked scenario's plan by channel and period: spend, whole units and
 * airing of its booked channels, as optimize reports them. */
static mp_status keep_booking(mpi_scen *out, const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    size_t np = (size_t)plan->periods, n = plan->nch * np;
    out->book_spend = mpi_calloc(n ? n : 1, sizeof(double));
    out->book_units = mpi_malloc((n ? n : 1) * sizeof(double));
    out->book_airs = mpi_calloc(n ? n : 1, 1);
    if (!out->book_spend || !out->book_units || !out->book_airs)
        return mpi_nomem();
    for (size_t c = 0; c < plan->nch; c++)
        for (size_t t = 0; t < np; t++) {
            size_t i = c * np + t;
            int booked = mpi_channel_booked(&plan->ch[c]);
            out->book_spend[i] = booked ? MPI_CP_KPI(sol, c, t, MPI_SPEND) : 0;
            out->book_units[i] = booked && sol->book_units ? sol->book_units[i] : NAN;
            out->book_airs[i] = booked && out->book_spend[i] > 0;
        }
    return MP_OK;
}

/* Each channel's spend on keyword curves bought to their end where a bid
 * ceiling cuts them (limits.c counts them so): money that buys fewer clicks
 * at a higher price when competing bids rise, the bid held at the ceiling. */
static void keep_ceiling_spend(mpi_scen *out, const mp_solution *sol)
{
    const mpi_model *m = &sol->model;
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        double end = mpi_curve_end(cv);
        if (cv->channel < 0 || (size_t)cv->channel >= sol->plan->nch || !(cv->ceiling > 0) ||
            !(end > 0))
            continue;
        double x = mpi_curve_spend(sol, cv);
        if (x >= end * (1 - 1e-6) && mpi_curve_ceiling_spend(m, cv) <= end * (1 + 1e-6))
            out->ceiling_spend[cv->channel] += x;
    }
}

/* A solved scenario's figures by channel: its spend, KPIs, and spend at a
 * bid ceiling. */
static void keep_channels(mpi_scen *out, const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    for (size_t c = 0; c < plan->nch; c++) {
        out->spend[c] = MPI_CH_KPI(sol, c, MPI_SPEND);
        for (int q = 0; q < MPI_NKPI; q++)
            out->ch_kpi[c * MPI_NKPI + (size_t)q] = MPI_CH_KPI(sol, c, q);
    }
    keep_ceiling_spend(out, sol);
}

static mp_status keep_result(mpi_scen *out, const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    out->result = sol->result;
    out->planless = sol->planless;
    out->draws_stopped = sol->draws_stopped && !sol->planless;
    out->mip = sol->lp.mip;
    out->booked = sol->booked;
    out->mip_status = sol->mip_status;
    out->mip_nodes = sol->mip_nodes;
    out->mip_gap = sol->mip_gap_glpk;
    out->mip_relax = sol->mip_relax;
    size_t nch = plan->nch ? plan->nch : 1;
    out->spend = mpi_calloc(nch, sizeof(double));
    out->ch_kpi = mpi_calloc(nch * MPI_NKPI, sizeof(double));
    out->ceiling_spend = mpi_calloc(nch, sizeof(double));
    if (!out->spend || !out->ch_kpi || !out->ceiling_spend)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    if (sol->explain && !(out->explain = mpi_strdup(sol->explain)))
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    out->marginal = out->eff_reach = NAN;
    out->marginal_kpi = -1;
    out->bound = out->gap = NAN;
    if (!mpi_scen_solved(out))
        return MP_OK;
    out->objective = sol->objective;
    out->lp_objective = sol->lp_objective;
    out->bound = sol->bound;
    out->gap = sol->gap;
    memcpy(out->kpi, sol->kpi, sizeof out->kpi);
    out->eff_reach = sol->eff_reach;
    keep_channels(out, sol);
    mpi_media_split(sol, out->media);
    out->unspent = mpi_scenario_budget(plan, sol->sc) - sol->kpi[MPI_SPEND];
    if (sol->booked) {
        mp_status st = keep_booking(out, sol);
        if (st != MP_OK)
            return st;
    }
    if (plan->obj_sense < 0)
        min_marginal(sol, out);
    else /* the budget is always the first row */
        out->marginal = sol->rows[0].shadow;
    return out->unspent > 1e-6 * mpi_scenario_budget(plan, sol->sc) ? name_stopper(sol, out)
                                                                    : MP_OK;
}

/* A contiguous run of scenarios solved on one copy of the curves, each from
 * the previous one's optimum (warm) or from scratch (cold). */
typedef struct chunk {
    mp_whatif *w;
    const mpi_scenario *scs;
    const mp_whatif_opts *opts;
    const double *base_domain; /* what the base plan's curves cover */
    size_t from, to;
    mp_status st;
    char err[2048];
    size_t full_solves;
    const double *pi0; /* row prices of the base optimum, or NULL */
    size_t npi0;
    pthread_mutex_t *lock;
    size_t *done;
    mpi_refine_log log; /* the curves a scenario refined, put back after it */
    mpi_lang lang;      /* the caller's message language, for the worker's */
} chunk;

/* Solve scenario sc's LP: near the last optimum's prices *pi (kept up to
 * date), else from scratch; then refine it to the plan's gap and turn it
 * into a result. */
static mp_status solve_lp(chunk *ch, mp_solution *sol, double **pi, size_t *npi)
{
    mpi_model *m = &sol->model;
    int cold = ch->w->cold, full = 0;
    mp_status st;
    if (cold) { /* from scratch, on the whole LP */
        st = mpi_model_solve_explicit(m, &ch->opts->solve, &sol->lp);
    } else { /* from the last optimum's prices (a chunk's first scenario: none) */
        const double *from = *pi && *npi == m->lp.nrows ? *pi : NULL;
        st = mpi_model_solve_from(m, from, &ch->opts->solve, &sol->lp, &full);
        ch->full_solves += (size_t)full;
    }
    if (st == MP_OK && sol->lp.status == MPI_LP_OPTIMAL && !sol->lp.mip) {
        double *npi2 = mpi_realloc(*pi, sizeof(double) * (m->lp.nrows ? m->lp.nrows : 1));
        if (npi2) {
            *pi = npi2;
            *npi = m->lp.nrows;
            memcpy(*pi, sol->lp.row_dual, sizeof(double) * m->lp.nrows);
        } else {
            st = mpi_nomem();
        }
    }
    if (st == MP_OK)
        st = mpi_refine_to_gap(sol, &ch->opts->solve, &ch->log);
    /* a booked plan's scenario is its MIP from the refined relaxation, as the
     * base plan is (the relaxation's prices above carry to the next scenario).
     * Branch and cut starts from nothing of the previous scenario: a first
     * incumbent from its booking would make the plan chosen among equally good
     * ones depend on which scenario came before, so on the sweep's order and
     * its cut in halves (one or two threads), and no longer the plan optimize
     * finds for that scenario alone. */
    if (st == MP_OK)
        st = mpi_solve_booked(sol, &ch->opts->solve);
    /* risk = cvar or worst, and rows that must hold in every draw, as the
     * base plan (risk.c, hold.c) */
    if (st == MP_OK)
        st = mpi_solve_risk_refined(sol, &ch->opts->solve, &ch->log);
    if (st == MP_OK)
        st = mpi_solution_finish(sol, &ch->opts->solve);
    /* the marginal column: the exact curves' shadow prices, not the chords'
     * duals (a light solution skips them in mpi_solution_finish) */
    if (st == MP_OK && sol->rows)
        st = mpi_shadow_prices(sol);
    if (st == MP_OK)
        mpi_solution_people(sol);
    return st;
}

/* A scenario's must_hold constraints in each draw on the exact curves, as
 * optimize judges its plan: which bind in their worst draw, and a plan the
 * time limit left at the mean plan is kept when it holds them all, else it
 * has no plan and says which it breaks (hold.c). */
static mp_status held_in_draws(mp_solution *sol)
{
    if (sol->planless || (sol->result != MP_RESULT_OPTIMAL && sol->result != MP_RESULT_TIME_LIMIT))
        return MP_OK;
    mp_status st = mpi_hold_report(sol);
    return st == MP_OK ? mpi_hold_stopped_check(sol) : st;
}

static mp_status solve_one(chunk *ch, mpi_model *m, size_t i, double **pi, size_t *npi)
{
    const mp_plan *plan = ch->w->plan;
    const mpi_scenario *sc = &ch->scs[i];
    mp_status st;
    mpi_solve_deadline(ch->opts->solve.time_limit_s); /* the limit is each scenario's */
    st = mpi_model_price(m, sc, 1);
    if (st == MP_OK)
        st = mpi_model_lp_update(m, sc);
    mp_solution *sol = st == MP_OK ? mpi_calloc(1, sizeof *sol) : NULL;
    if (!sol) {
        mpi_solve_deadline(0);
        return st != MP_OK ? st : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    sol->plan = plan;
    sol->sc = sc;
    sol->model = *m;
    sol->borrowed_model = 1;
    sol->light = 1;
    sol->reach_dedup = NAN;
    sol->bound = sol->gap = NAN;
    char *why = NULL;
    st = mpi_explain_minimums(plan, mpi_scenario_budget(plan, sc), &why);
    if (st == MP_OK && why) {
        sol->result = MP_RESULT_INFEASIBLE;
        sol->explain = why;
    } else if (st == MP_OK) {
        st = solve_lp(ch, sol, pi, npi);
    }
    *m = sol->model; /* refining rebuilt its LP */
    mpi_solve_deadline(0);
    if (st == MP_OK)
        st = held_in_draws(sol);
    if (st == MP_OK)
        st = keep_result(&ch->w->s[i], sol);
    if (st == MP_OK && mpi_scen_solved(&ch->w->s[i])) {
        ch->w->s[i].hold = sol->hold;
        sol->hold = NULL;
    }
    if (st == MP_OK && mpi_scen_solved(&ch->w->s[i])) /* its bands over the draws */
        st = mpi_draws_quantiles(sol);
    ch->w->s[i].quant = sol->quant;
    sol->quant = NULL;
    mp_solution_free(sol);
    mpi_refine_undo(m, &ch->log); /* the next scenario starts from the same curves */
    return st;
}

/* The curves scenario i is solved on: those a run of that scenario alone
 * builds (its own budget, caps and price levels set the spend each curve
 * covers), so that its answer does not depend on the other scenarios. The
 * chunk's model m is rebuilt only when that spend changes; curves that any
 * spend builds the same are borrowed from the base plan. */
static mp_status scenario_curves(chunk *ch, size_t i, mpi_model *m, double **domain)
{
    const mp_plan *plan = ch->w->plan;
    double *d = mpi_model_domain(plan, &ch->scs[i], 1);
    if (!d)
        return mpi_nomem();
    size_t n = plan->nch * ((size_t)plan->periods + 1);
    if (*domain && !memcmp(d, *domain, n * sizeof *d)) {
        free(d);
        return MP_OK;
    }
    free(*domain);
    *domain = d;
    mpi_model_free(m);
    mp_status st = mpi_model_curves(plan, d, &ch->w->base->model, ch->base_domain, m);
    if (st == MP_OK)
        st = mpi_model_lp_from(m, &ch->w->base->model);
    return st;
}

static void *run_chunk(void *arg)
{
    chunk *ch = arg;
    mpi_set_msg_lang(ch->lang);
    mpi_model m;
    memset(&m, 0, sizeof m);
    double *domain = NULL;
    /* Row prices of the last optimum: at first the base plan's, which the
     * scenarios vary around. */
    double *pi = NULL;
    size_t npi = 0;
    if (ch->pi0 && !ch->w->cold) {
        if ((pi = mpi_calloc(ch->npi0 ? ch->npi0 : 1, sizeof(double))) != NULL) {
            memcpy(pi, ch->pi0, ch->npi0 * sizeof(double));
            npi = ch->npi0;
        } else {
            ch->st = mpi_nomem();
        }
    }
    for (size_t i = ch->from; ch->st == MP_OK && i < ch->to; i++) {
        ch->st = scenario_curves(ch, i, &m, &domain);
        if (ch->st == MP_OK)
            ch->st = solve_one(ch, &m, i, &pi, &npi);
        pthread_mutex_lock(ch->lock);
        size_t done = ++*ch->done;
        if (ch->opts->progress)
            ch->opts->progress(ch->opts->progress_ctx, done, ch->w->ns);
        pthread_mutex_unlock(ch->lock);
    }
    if (ch->st != MP_OK)
        snprintf(ch->err, sizeof ch->err, "%s", mp_last_error());
    free(pi);
    free(domain);
    mpi_refine_undo(&m, &ch->log);
    mpi_refine_log_free(&ch->log);
    mpi_model_free(&m);
    mpi_glpk_thread_end();
    return NULL;
}

/* Solve every scenario. A warm sweep of many scenarios is cut in two halves,
 * solved on two cores (GLPK keeps its state per thread), each half starting
 * from the base plan's duals; the answers are the same optima. */
static mp_status sweep(mp_whatif *w, mpi_scenario *scs, const mp_whatif_opts *opts)
{
    double *base_domain = mpi_model_domain(w->plan, NULL, 1);
    if (!base_domain)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nchunks = !w->cold && w->ns >= 8 && cpus >= 2 ? 2 : 1;
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    size_t done = 0;
    chunk ch[2];
    for (size_t c = 0; c < nchunks; c++) {
        memset(&ch[c], 0, sizeof ch[c]);
        ch[c].w = w;
        ch[c].scs = scs;
        ch[c].opts = opts;
        ch[c].base_domain = base_domain;
        ch[c].from = w->ns * c / nchunks;
        ch[c].to = w->ns * (c + 1) / nchunks;
        ch[c].lock = &lock;
        ch[c].done = &done;
        ch[c].lang = mpi_msg_lang();
        if (w->base->lp.status == MPI_LP_OPTIMAL && !w->base->lp.mip && w->base->lp.row_dual) {
            ch[c].pi0 = w->base->lp.row_dual;
            ch[c].npi0 = w->base->model.lp.nrows;
        }
    }
    pthread_t second;
    int threaded = nchunks == 2 && pthread_create(&second, NULL, run_chunk, &ch[1]) == 0;
    run_chunk(&ch[0]);
    if (threaded)
        pthread_join(second, NULL);
    else if (nchunks == 2)
        run_chunk(&ch[1]);
    free(base_domain);
    mp_status st = MP_OK;
    for (size_t c = 0; c < nchunks; c++) {
        w->full_solves += ch[c].full_solves;
        if (st == MP_OK && ch[c].st != MP_OK)
            st = mpi_fail(ch[c].st, "%s", ch[c].err);
    }
    return st;
}

/* The axes of a run, and how many scenarios their grid makes. */
static mp_status parse_axes(mp_whatif *w, const char *const *axes, size_t naxes)
{
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < naxes; i++) {
        st = mpi_axis_parse(w->plan, axes[i], &w->ax[i]);
        w->nax = i + 1;
        if (st == MP_OK)
            st = mpi_axis_warn(w->plan, &w->ax[i], axes[i], &w->diag);
    }
    if (st == MP_OK && naxes == 2 && !strcmp(w->ax[0].label, w->ax[1].label))
        st = mpi_fail(MP_ERR_INPUT, N_("--vary %s is given twice"), w->ax[0].label);
    if (st == MP_OK) {
        w->ns = w->ax[0].n * (naxes == 2 ? w->ax[1].n : 1);
        if (w->ns > MPI_MAX_SCENARIOS)
            st = mpi_fail(MP_ERR_LIMIT, N_("%zu scenarios: at most %d"), w->ns, MPI_MAX_SCENARIOS);
    }
    return st;
}

/* One scenario a point of the axes' grid, the last axis varying fastest
 * (*scs: w->ns of them, each to be freed, even on failure). */
static mp_status grid_scenarios(mp_whatif *w, mpi_scenario **scs)
{
    w->s = mpi_calloc(w->ns, sizeof *w->s);
    *scs = mpi_calloc(w->ns, sizeof **scs);
    if (!w->s || !*scs)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    for (size_t i = 0; i < w->ns; i++) {
        mpi_scen *s = &w->s[i];
        s->idx[0] = w->nax == 2 ? i / w->ax[1].n : i;
        s->idx[1] = w->nax == 2 ? i % w->ax[1].n : 0;
        mp_status st = mpi_scenario_init(&(*scs)[i], w->plan);
        if (st != MP_OK)
            return st;
        for (size_t a = 0; a < w->nax; a++)
            mpi_axis_apply(w->plan, &w->ax[a], w->ax[a].values[s->idx[a]], &(*scs)[i]);
    }
    return MP_OK;
}

mp_status mp_whatif_run(const mp_plan *plan, const char *const *axes, size_t naxes,
                        const mp_whatif_opts *opts, mp_whatif **out)
{
    mpi_clear_error();
    if (!plan || !axes || !out)
        return mpi_fail(MP_ERR_INPUT,
                        N_("mp_whatif_run: no plan, no axes or no place for the run"));
    *out = NULL;
    mp_whatif_opts defaults;
    if (!opts) {
        mp_whatif_opts_init(&defaults);
        opts = &defaults;
    }
    if (naxes < 1 || naxes > 2)
        return mpi_fail(MP_ERR_INPUT, N_("a what-if run varies one or two parameters, not %zu"),
                        naxes);
    if (plan->obj_eff) /* each scenario would need its own most first (effective_obj.c) */
        return mpi_fail(MP_ERR_INPUT,
                        N_("what-if runs do not take max effective_reach yet: vary a floor "
                           "instead, as in [constraint \"eff\"] expr = %s >= 40%% with "
                           "--vary constraint:eff=30%%,40%%,50%%"),
                        plan->obj_eff_text);
    mp_whatif *w = mpi_calloc(1, sizeof *w);
    if (!w)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    w->plan = plan;
    w->cold = opts->cold;
    mpi_scenario *scs = NULL;
    mp_status st = parse_axes(w, axes, naxes);
    if (st == MP_OK)
        st = grid_scenarios(w, &scs);
    if (st == MP_OK)
        st = mpi_plan_solve(plan, &opts->solve, 0, &w->base);
    if (st == MP_OK) {
        double t0 = now_s();
        st = sweep(w, scs, opts);
        w->sweep_s = now_s() - t0;
    }
    for (size_t i = 0; scs && i < w->ns; i++)
        mpi_scenario_free(&scs[i]);
    free(scs);
    if (st != MP_OK) {
        mp_whatif_free(w);
        return st;
    }
    *out = w;
    return MP_OK;
}
