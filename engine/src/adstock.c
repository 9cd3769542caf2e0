/* Carryover (adstock): a channel with adstock = lambda responds in period t
 * to its adstock a_t = x_t + lambda a_{t-1} (a_0 carried in), x_t the money
 * paid in period t. Its curves are the channel's curves over a_t; the rows
 * see x_t (build.c, row_at). With [plan] count_after = k the k periods after
 * the plan, with no spend, see a_{T+j} = lambda^j a_T: their response, a
 * concave function of a_T, is added to the last period's curve and
 * reported apart ("after the plan"). Here: that curve, its exact form, and
 * the solution's figures read back over the money paid. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* The KPIs the adstock carries: the response, not what spend buys. */
static const int carried_q[] = {MPI_CLICKS, MPI_CONVERSIONS, MPI_REVENUE};
#define NCARRIED (sizeof carried_q / sizeof *carried_q)

/* KPIs bought in proportion to the money paid (read back over x_t). */
static const int bought_q[] = {MPI_SPEND, MPI_IMPRESSIONS, MPI_GRP, MPI_CO2};
#define NBOUGHT (sizeof bought_q / sizeof *bought_q)

int mpi_adstock_after(const mp_plan *plan, int channel, int t)
{
    return plan->count_after > 0 && plan->ch[channel].adstock > 0 && t == plan->periods - 1;
}

void mpi_adstock_after_kpis(const mp_plan *plan, const mpi_channel *ch, const mpi_period *per,
                            double a, double *v)
{
    double lj = 1;
    for (int j = 1; j <= plan->count_after; j++) {
        double w[MPI_NKPI] = {0};
        lj *= ch->adstock;
        ch->ops->spend(ch->params, ch, per, lj * a, w);
        for (size_t i = 0; i < NCARRIED; i++)
            v[carried_q[i]] += w[carried_q[i]];
    }
}

typedef struct after_ctx {
    const mp_plan *plan;
    const mpi_channel *ch;
    const mpi_period *per;
} after_ctx;

static void after_eval(void *vctx, double p, double *x, double *v)
{
    const after_ctx *c = vctx;
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    *x = p;
    c->ch->ops->spend(c->ch->params, c->ch, c->per, p, v);
    mpi_adstock_after_kpis(c->plan, c->ch, c->per, p, v);
    v[MPI_SPEND] = p;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The response curve's kinks over a_T: each kink k of the curve, and k /
 * lambda^j where period T + j passes it. Caller frees *out. */
static mp_status after_kinks(const mp_plan *plan, const mpi_channel *ch, double end, double **out,
                             size_t *n)
{
    size_t nk;
    const double *k = mpi_resp_kinks(&ch->resp, &nk);
    *n = 0;
    *out = mpi_calloc(nk * ((size_t)plan->count_after + 1) + 1, sizeof(double));
    if (!*out)
        return mpi_nomem();
    for (size_t i = 0; i < nk; i++) {
        double lj = 1;
        for (int j = 0; j <= plan->count_after && k[i] > 0; j++, lj *= ch->adstock)
            if (k[i] / lj < end)
                (*out)[(*n)++] = k[i] / lj;
    }
    qsort(*out, *n, sizeof **out, by_value);
    return MP_OK;
}

mp_status mpi_adstock_curve(const mp_plan *plan, const mpi_channel *ch, const mpi_period *per,
                            double spend_max, mpi_curve_list *out)
{
    /* the model's own curve first, for where it ends (its caps) */
    mpi_curve_list own = {0};
    mp_status st = ch->ops->curves(ch->params, &plan->mctx, ch, per, spend_max, &own);
    double end = st == MP_OK && own.n ? mpi_curve_end(&own.v[0]) : 0;
    mpi_curve_list_free(&own);
    if (st != MP_OK || !(end > 0))
        return st;
    double *kinks;
    size_t nk;
    if ((st = after_kinks(plan, ch, end, &kinks, &nk)) != MP_OK)
        return st;
    mpi_curve *cv = mpi_curve_list_add(out);
    if (!cv) {
        free(kinks);
        return mpi_nomem();
    }
    cv->kind = MPI_CURVE_SPEND;
    cv->period = (short)per->index;
    after_ctx c = {plan, ch, per};
    st = mpi_pwl_build(after_eval, &c, 0, end, plan->precision, 0, kinks, nk, cv);
    free(kinks);
    return st;
}

void mpi_adstock_domain(const mp_plan *plan, size_t c, double cap, const double *level, double *d)
{
    const mpi_channel *ch = &plan->ch[c];
    double carried = 0, held = ch->carry_in;
    for (int t = 0; t < plan->periods; t++) {
        carried = ch->adstock * carried + fmin(cap, plan->period_cap[t]);
        held *= ch->adstock;
        double v = (fmin(cap, carried) + held) / level[t];
        if (v > d[t])
            d[t] = v;
    }
}

double mpi_adstock_at(const mp_plan *plan, size_t c, int t, const double *spend)
{
    const mpi_channel *ch = &plan->ch[c];
    size_t np = (size_t)plan->periods;
    double a = ch->carry_in;
    for (int s = 0; s <= t; s++)
        a = ch->adstock * a + spend[c * np + (size_t)s];
    return a;
}

/* The exact marginal return per unit of money paid in period t of an
 * adstocked channel: a unit paid then adds lambda^(s-t) to every a_s
 * after, so it returns sum_s lambda^(s-t) f_s'(a_s); NAN where some a_s is
 * at its curve's end (no more can be carried there). */
static double paid_marginal(const mp_solution *sol, size_t c, int t, int ret_kpi)
{
    const mp_plan *plan = sol->plan;
    size_t np = (size_t)plan->periods;
    double sum = 0, lj = 1;
    for (int s = t; s < plan->periods; s++, lj *= plan->ch[c].adstock) {
        const mpi_curve *cv = mpi_model_period_curve(&sol->model, (int)c, s);
        double a = sol->adstock[c * np + (size_t)s], end = cv ? mpi_curve_end(cv) : 0;
        if (!cv || !(a < end * (1 - 1e-9)))
            return NAN;
        double d1[MPI_NKPI];
        mpi_curve_slopes_at(&sol->model, cv, a, end, d1);
        sum += lj * d1[ret_kpi];
    }
    return sum;
}

/* Whether a booked plan keeps channel c off the air in period t: its next
 * euro there is no booking (the smallest is whole spots at min_grp, min_burst
 * weeks in a row), so its marginal return is taken over the periods it airs
 * only, as without carryover (aggregate.c). */
static int off_air(const mp_solution *sol, size_t c, int t)
{
    const mpi_curve *cv = mpi_model_period_curve(&sol->model, (int)c, t);
    double unit;
    return cv && mpi_booked_margin(sol, cv, &unit) == MPI_MARGIN_OFF_AIR;
}

/* Period t of channel c read back over the money paid: a_t kept apart, the
 * spend and what it buys scaled to x_t = a_t - lambda a_{t-1}, and the
 * response after the plan taken out of the last period's. */
static void read_back_period(mp_solution *sol, size_t c, int t, double prev, double *data_spend)
{
    const mp_plan *plan = sol->plan;
    const mpi_channel *ch = &plan->ch[c];
    size_t np = (size_t)plan->periods;
    const mpi_curve *cv = mpi_model_period_curve(&sol->model, (int)c, t);
    double mult = cv ? cv->mult : 1;
    double a = MPI_CP_KPI(sol, c, t, MPI_SPEND), x = a - ch->adstock * prev;
    if (fabs(x) <= 1e-9 * (1 + a))
        x = 0; /* rounding, not money */
    sol->adstock[c * np + (size_t)t] = a;
    double ratio = a > 0 ? x / a : 0;
    for (size_t i = 1; i < NBOUGHT; i++)
        MPI_CP_KPI(sol, c, t, bought_q[i]) *= ratio;
    MPI_CP_KPI(sol, c, t, MPI_SPEND) = x;
    data_spend[c] += x / mult;
    if (!mpi_adstock_after(plan, (int)c, t) || !(a > 0))
        return;
    mpi_period per = {t, plan->period_start[t], plan->period_start[t + 1], plan->weight[t]};
    double v[MPI_NKPI] = {0};
    mpi_adstock_after_kpis(plan, ch, &per, a / mult, v);
    for (size_t i = 0; i < NCARRIED; i++) {
        int q = carried_q[i];
        MPI_CP_KPI(sol, c, t, q) -= v[q];
        sol->after_kpi[c * MPI_NKPI + (size_t)q] = v[q];
        sol->after_total[q] += v[q];
    }
}

void mpi_adstock_paid(const mp_solution *sol, const mpi_curve *cv, double *v)
{
    const mp_plan *plan = sol->plan;
    if (!sol->adstock || !(plan->ch[cv->channel].adstock > 0))
        return;
    double a = sol->adstock[(size_t)cv->channel * (size_t)plan->periods + (size_t)cv->period];
    double ratio = a > 0 ? MPI_CP_KPI(sol, cv->channel, cv->period, MPI_SPEND) / a : 0;
    for (size_t i = 0; i < NBOUGHT; i++)
        v[bought_q[i]] *= ratio;
}

mp_status mpi_adstock_read_back(mp_solution *sol, int ret_kpi, double *data_spend)
{
    const mp_plan *plan = sol->plan;
    size_t np = (size_t)plan->periods;
    memset(sol->after_total, 0, sizeof sol->after_total);
    if (!mpi_plan_has_adstock(plan))
        return MP_OK;
    sol->adstock = mpi_calloc(plan->nch * np + 1, sizeof(double));
    sol->after_kpi = mpi_calloc(plan->nch * MPI_NKPI + 1, sizeof(double));
    if (!sol->adstock || !sol->after_kpi)
        return mpi_nomem();
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!(ch->adstock > 0))
            continue;
        data_spend[c] = 0;
        double prev = ch->carry_in;
        for (int t = 0; t < plan->periods; t++) {
            read_back_period(sol, c, t, prev, data_spend);
            prev = sol->adstock[c * np + (size_t)t];
        }
        for (int q = 0; q < MPI_NKPI; q++) {
            if (q == MPI_REACH)
                continue;
            MPI_CH_KPI(sol, c, q) = 0;
            for (int t = 0; t < plan->periods; t++)
                MPI_CH_KPI(sol, c, q) += MPI_CP_KPI(sol, c, t, q);
        }
        if (sol->light || ret_kpi == MPI_REACH)
            continue;
        sol->ch_marginal[c] = NAN;
        for (int t = 0; t < plan->periods; t++) {
            sol->cp_marginal[c * np + (size_t)t] = NAN;
            if (!off_air(sol, c, t))
                mpi_raise_marginal(sol, c, (size_t)t, paid_marginal(sol, c, t, ret_kpi));
        }
    }
    return MP_OK;
}
