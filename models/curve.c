/* A channel whose whole response is a curve fitted by an MMM tool. */
#include "models.h"

#include <stdlib.h>

static const char *const keys[] = {NULL};

static void *create(void)
{
    return mpi_calloc(1, 1);
}

static mp_status set(void *p, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *v)
{
    (void)p;
    (void)ctx;
    (void)v;
    return mpi_fail_at(MP_ERR_INTERNAL, loc, N_("no such key"));
}

static mp_status check(void *p, const mpi_model_ctx *ctx, mpi_channel *ch)
{
    (void)p;
    if (ch->resp.family == MPI_FAM_NONE) {
        mpi_loc loc = {ctx->plan_path, ch->line, NULL};
        return mpi_fail_at(
            MP_ERR_INPUT, &loc,
            N_("channel \"%s\": a curve channel needs curve = hill | exp | logistic | "
               "michaelis-menten | table"),
            ch->name);
    }
    return MP_OK;
}

static void eval(const void *p, const mpi_channel *ch, const mpi_period *t, double x, double *v)
{
    (void)p;
    v[MPI_CO2] = ch->co2_per_unit * x / 1000;
    mpi_resp_kpis(&ch->resp, x, t->weight, v);
}

static mp_status curves(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, double spend_max, mpi_curve_list *out)
{
    return mpi_spend_curve(eval, p, ctx, ch, t, spend_max, out);
}

const mpi_model_ops mpi_model_curve = {.type = "curve",
                                       .media = "curve",
                                       .kind = N_("a channel with a response curve (type = curve)"),
                                       .digital = 1,
                                       .co2_unit = N_("1000 currency units"),
                                       .keys = keys,
                                       .create = create,
                                       .destroy = free,
                                       .set = set,
                                       .check = check,
                                       .curves = curves,
                                       .spend = eval,
                                       .exact = mpi_spend_exact};
