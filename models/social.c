/* Social media: impressions bought at a CPM; within a period the audience N
 * saturates (reached = N(1 - e^(-I/N))) and clicks follow reached people, so
 * returns diminish with frequency. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

typedef struct social {
    double cpm, ctr, cvr, value, audience, max_frequency;
} social;

static const char *const keys[] = {"cpm", "ctr", "cvr", "value", "audience", "max_frequency", NULL};

static void *create(void)
{
    social *s = mpi_calloc(1, sizeof *s);
    if (s)
        s->max_frequency = 20;
    return s;
}

static mp_status set(void *p, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *v)
{
    social *s = p;
    const char *k = loc->key;
    if (!strcmp(k, "cpm"))
        return mpi_check_typical(
            mpi_check_limit(mpi_get_pos(v, MPI_U_CUR, ctx->currency, loc, &s->cpm), loc, &s->cpm,
                            &mpi_limit_unit_cost, ctx->currency),
            ctx->diag, loc, v, &s->cpm, &mpi_typical_cpm, ctx->currency);
    if (!strcmp(k, "ctr"))
        return mpi_check_typical(mpi_get_frac(v, loc, &s->ctr), ctx->diag, loc, v, &s->ctr,
                                 &mpi_typical_ctr, NULL);
    if (!strcmp(k, "cvr"))
        return mpi_check_typical(mpi_get_frac(v, loc, &s->cvr), ctx->diag, loc, v, &s->cvr,
                                 &mpi_typical_cvr, NULL);
    if (!strcmp(k, "value"))
        return mpi_get_nonneg(v, MPI_U_CUR, ctx->currency, loc, &s->value);
    if (!strcmp(k, "audience"))
        return mpi_get_pos(v, MPI_U_KM, NULL, loc, &s->audience);
    return mpi_get_pos(v, 0, NULL, loc, &s->max_frequency); /* max_frequency */
}

static mp_status check(void *p, const mpi_model_ctx *ctx, mpi_channel *ch)
{
    social *s = p;
    mpi_loc loc = {ctx->plan_path, ch->line, NULL};
    if (!(s->cpm > 0))
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("channel \"%s\": social needs cpm"), ch->name);
    if (!(s->audience > 0))
        s->audience = ctx->universe;
    if (!(s->audience > 0))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": social needs audience (people reachable per period) "
                              "or [plan] universe"),
                           ch->name);
    return MP_OK;
}

static void eval(const void *p, const mpi_channel *ch, const mpi_period *t, double x, double *v)
{
    const social *s = p;
    double imp = 1000 * x / s->cpm;
    double reached = s->audience * -expm1(-imp / s->audience);
    v[MPI_IMPRESSIONS] = imp;
    v[MPI_CLICKS] = t->weight * s->ctr * reached;
    v[MPI_CONVERSIONS] = v[MPI_CLICKS] * s->cvr;
    v[MPI_REVENUE] = v[MPI_CONVERSIONS] * s->value;
    v[MPI_CO2] = ch->co2_per_unit * imp / 1000;
    mpi_resp_kpis(&ch->resp, x, t->weight, v);
}

static mp_status curves(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, double spend_max, mpi_curve_list *out)
{
    const social *s = p;
    double cap = s->max_frequency * s->audience * s->cpm / 1000;
    return mpi_spend_curve(eval, p, ctx, ch, t, fmin(spend_max, cap), out);
}

static double reach(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch, double spend)
{
    (void)ctx;
    (void)ch;
    const social *s = p;
    return s->audience * -expm1(-1000 * spend / s->cpm / s->audience);
}

static double unit_cost(const void *p)
{
    return ((const social *)p)->cpm;
}

const mpi_model_ops mpi_model_social = {.type = "social",
                                        .media = "social",
                                        .kind = N_("a social channel"),
                                        .digital = 1,
                                        .co2_unit = N_("1000 impressions"),
                                        .keys = keys,
                                        .create = create,
                                        .destroy = free,
                                        .set = set,
                                        .check = check,
                                        .curves = curves,
                                        .spend = eval,
                                        .exact = mpi_spend_exact,
                                        .cost_index = mpi_unit_cost_index,
                                        .cost_name = N_("cpm"),
                                        .unit_cost = unit_cost,
                                        .reach = reach};
