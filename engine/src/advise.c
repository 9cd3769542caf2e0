/* What the plan cannot do, said as warnings of a solution: a channel that
 * can serve neither the objective nor any constraint, an objective that is 0
 * at the optimum, a cost to minimise with nothing to reach. The LP's answer
 * is right in each case, but a planner reading "0 conversions (optimal)"
 * without a word would take it for a result. */
#include "bound.h"
#include "report.h"
#include "solution.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One half of channel_yields's walk: curves [from, to) into its own flags. */
typedef struct yields_half {
    const mpi_curve_list *cl;
    size_t from, to;
    unsigned char *yields;
} yields_half;

static void *yields_half_run(void *arg)
{
    const yields_half *h = arg;
    for (size_t i = h->from; i < h->to; i++) {
        const mpi_curve *cv = &h->cl->v[i];
        unsigned char *y = &h->yields[(size_t)cv->channel * MPI_NKPI];
        /* only the KPIs not seen yet on the channel, each until a segment
         * yields it; on a curve whose yields fall, the first segment yields
         * most */
        int nseg = cv->mono && cv->nseg > 1 ? 1 : cv->nseg;
        for (int q = 0; q < MPI_NKPI && mpi_curve_has_yields(cv); q++)
            for (int s = 0; !y[q] && s < nseg; s++)
                y[q] = mpi_curve_data_yield(cv, s, q) > 0;
    }
    return NULL;
}

/* yields[c * MPI_NKPI + q]: whether some segment of channel c's curves
 * yields KPI q (two halves of the curves, their flags joined). */
static unsigned char *channel_yields(const mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    size_t k = plan->nch ? plan->nch * MPI_NKPI : 1;
    unsigned char *yields = mpi_calloc(2 * k, 1);
    if (!yields)
        return NULL;
    const mpi_curve_list *cl = &sol->model.curves;
    yields_half h[2] = {{cl, 0, cl->n / 2, yields}, {cl, cl->n / 2, cl->n, yields + k}};
    mpi_halves_run(cl->n, yields_half_run, &h[0], &h[1]);
    for (size_t i = 0; i < k; i++)
        yields[i] |= yields[k + i];
    return yields;
}

/* Whether constraint e bears on channel c: its list names the channel (or
 * one of its keyword groups), or it has no list and measures a KPI the
 * channel yields. A plan-wide spend cap does not count: it only limits. */
static int constrains(const mpi_expr *e, size_t c, const unsigned char *yields)
{
    if (e->in) {
        if (e->in[c])
            return 1;
        for (size_t g = 0; e->ing && g < e->ngroups; g++)
            if (e->ing[c * e->ngroups + g])
                return 1;
        return 0;
    }
    return e->measure == MPI_M_KPI && e->kpi != MPI_SPEND && yields[c * MPI_NKPI + (size_t)e->kpi];
}

static int in_any_constraint(const mp_plan *plan, size_t c, const unsigned char *yields)
{
    for (size_t k = 0; k < plan->ncons; k++)
        if (constrains(&plan->cons[k].e, c, yields))
            return 1;
    return 0;
}

/* A channel of a maximising plan that yields nothing of the objective and is
 * in no constraint: no spend on it can ever help, so say what would. */
static mp_status idle_channels(mp_solution *sol, const mpi_objective *o,
                               const unsigned char *yields)
{
    const mp_plan *plan = sol->plan;
    for (size_t c = 0; c < plan->nch; c++) {
        const unsigned char *y = &yields[c * MPI_NKPI];
        if (y[o->q] || in_any_constraint(plan, c, yields))
            continue;
        const char *name = plan->ch[c].name;
        mp_status st;
        if (plan->ch[c].resp.family != MPI_FAM_NONE) /* a curve would not help: it has one */
            MPI_WARN_EACH(
                st, &sol->diag,
                mpi_tr(lang_, N_("channel \"%s\" brings no %s (the objective): %s "
                                 "channels have none, whatever their response curve, "
                                 "and it is in no constraint, so nothing is spent on it")),
                name, mpi_tr(lang_, o->kpi), mpi_media_label(lang_, plan->ch[c].ops->media));
        else if (y[MPI_GRP] || y[MPI_REACH])
            MPI_WARN_EACH(
                st, &sol->diag,
                mpi_tr(lang_,
                       N_("channel \"%s\" brings no %s (the objective) and is in no constraint, so "
                          "nothing is spent on it: add a response curve (response = hill, exp, "
                          "... in its section) or a reach/GRP constraint such as grp(%s) >= 300")),
                name, mpi_tr(lang_, o->kpi), name);
        else
            MPI_WARN_EACH(
                st, &sol->diag,
                mpi_tr(lang_,
                       N_("channel \"%s\" brings no %s (the objective) and is in no constraint, so "
                          "nothing is spent on it: add a response curve (response = hill, exp, "
                          "... in its section) or a constraint on it such as spend(%s) >= 10k")),
                name, mpi_tr(lang_, o->kpi), name);
        if (st != MP_OK)
            return st;
    }
    return MP_OK;
}

/* "tf1-prime, radio-national": the channels that yield nothing of KPI q. */
static char *barren_list(const mp_plan *plan, int q, const unsigned char *yields)
{
    char *list = mpi_strdup("");
    for (size_t c = 0; list && c < plan->nch; c++) {
        if (yields[c * MPI_NKPI + (size_t)q])
            continue;
        char *next = mpi_aprintf("%s%s%s", list, *list ? ", " : "", plan->ch[c].name);
        free(list);
        list = next;
    }
    return list;
}

/* A maximised KPI that is 0 at the optimum, with the reason. */
static mp_status zero_objective(mp_solution *sol, const mpi_objective *o,
                                const unsigned char *yields)
{
    const mp_plan *plan = sol->plan;
    size_t bringing = 0;
    for (size_t c = 0; c < plan->nch; c++)
        bringing += yields[c * MPI_NKPI + (size_t)o->q];
    mp_status st;
    if (bringing) {
        MPI_WARN_EACH(st, &sol->diag,
                      mpi_tr(lang_, N_("max %s -> 0 %s: the constraints leave no spend on the "
                                       "channels that bring %s")),
                      mpi_tr(lang_, o->kpi), mpi_tr(lang_, o->unit), mpi_tr(lang_, o->kpi));
        return st;
    }
    char *list = barren_list(plan, o->q, yields);
    if (!list)
        return mpi_nomem();
    MPI_WARN_EACH(st, &sol->diag,
                  mpi_tr(lang_, N_("max %s -> 0 %s: no channel of this plan brings %s (%s %s no "
                                   "response curve)")),
                  mpi_tr(lang_, o->kpi), mpi_tr(lang_, o->unit), mpi_tr(lang_, o->kpi), list,
                  plan->nch > 1 ? mpi_trc(lang_, "response curve", "have")
                                : mpi_trc(lang_, "response curve", "has"));
    free(list);
    return st;
}

/* Whether some constraint or channel minimum asks for something: a floor
 * (>= or =) on a KPI, a spend or a share, or a channel's min or fixed spend. */
static int has_floor(const mp_plan *plan)
{
    for (size_t k = 0; k < plan->ncons; k++)
        if (plan->cons[k].e.op != MPI_LE && plan->cons[k].e.value > 0)
            return 1;
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].min_spend > 0 || plan->ch[c].fixed_spend > 0)
            return 1;
    return plan->budget_exact;
}

mp_status mpi_solution_advise(mp_solution *sol)
{
    if (sol->result != MP_RESULT_OPTIMAL && sol->result != MP_RESULT_TIME_LIMIT)
        return MP_OK;
    mpi_objective o;
    mpi_objective_of(sol->plan, &o);
    unsigned char *yields = channel_yields(sol);
    if (!yields)
        return mpi_nomem();
    mp_status st = MP_OK;
    int zero = fabs(sol->objective) <= 1e-9;
    if (sol->plan->obj_sense > 0) {
        st = idle_channels(sol, &o, yields);
        if (st == MP_OK && zero)
            st = zero_objective(sol, &o, yields);
    } else if (zero && !has_floor(sol->plan)) {
        MPI_WARN_EACH(st, &sol->diag,
                      mpi_tr(lang_, N_("min %s -> 0 %s: the plan asks for nothing (no constraint "
                                       "sets a floor), so the cheapest plan spends nothing; add a "
                                       "floor such as conversions >= 5000 or reach(...) >= 60%%")),
                      mpi_tr(lang_, o.kpi), mpi_tr(lang_, o.unit));
    }
    free(yields);
    if (st == MP_OK && sol->booked)
        st = mpi_booked_warn_dear(sol);
    return st;
}
