/* TV and radio: GRP bought at a cost per GRP; reach (share of the target)
 * follows Rmax(1 - e^(-k GRP)) over the campaign; direct response comes from an
 * MMM curve when the plan gives one. */
#include "models.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct broadcast {
    double cpp, rmax, k, universe, max_grp;
} broadcast;

static const char *const keys[] = {"cpp", "rmax", "k", "universe", "max_grp", NULL};

static void *create(void)
{
    broadcast *b = mpi_calloc(1, sizeof *b);
    if (b) {
        b->rmax = 0.85;
        b->k = 0.0058;
    }
    return b;
}

static mp_status set(void *p, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *v)
{
    broadcast *b = p;
    const char *k = loc->key;
    if (!strcmp(k, "cpp"))
        return mpi_check_typical(
            mpi_check_limit(mpi_get_pos(v, MPI_U_KM | MPI_U_CUR, ctx->currency, loc, &b->cpp), loc,
                            &b->cpp, &mpi_limit_unit_cost, ctx->currency),
            ctx->diag, loc, v, &b->cpp, &mpi_typical_cpp, ctx->currency);
    if (!strcmp(k, "rmax"))
        return mpi_get_frac(v, loc, &b->rmax);
    if (!strcmp(k, "k"))
        return mpi_get_pos(v, 0, NULL, loc, &b->k);
    if (!strcmp(k, "universe"))
        return mpi_get_pos(v, MPI_U_KM, NULL, loc, &b->universe);
    return mpi_get_pos(v, MPI_U_KM, NULL, loc, &b->max_grp); /* max_grp */
}

static mp_status check(void *p, const mpi_model_ctx *ctx, mpi_channel *ch)
{
    broadcast *b = p;
    mpi_loc loc = {ctx->plan_path, ch->line, NULL};
    const mpi_booking *bk = &ch->book;
    if (bk->spot_cost > 0 && bk->grp_per_spot > 0) {
        /* Whole spots set the price of a GRP; a cpp given too must agree. */
        double cpp = bk->spot_cost / bk->grp_per_spot;
        if (b->cpp > 0 && fabs(b->cpp - cpp) > 1e-9 * cpp)
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("channel \"%s\": cpp %g disagrees with spot_cost / grp_per_spot "
                                  "= %g (give one or the other)"),
                               ch->name, b->cpp, cpp);
        b->cpp = cpp;
    }
    if (!(b->cpp > 0))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\" is %s: it needs cpp (cost per GRP)"), ch->name,
                           mpi_tr(mpi_msg_lang(), ch->ops->kind));
    if (!(b->universe > 0))
        b->universe = ctx->universe;
    return MP_OK;
}

static void eval(const void *p, const mpi_channel *ch, const mpi_period *t, double x, double *v)
{
    const broadcast *b = p;
    double grp = x / b->cpp;
    v[MPI_GRP] = grp;
    v[MPI_IMPRESSIONS] = grp / 100 * b->universe;
    v[MPI_CO2] = ch->co2_per_unit * grp;
    mpi_resp_kpis(&ch->resp, x, t->weight, v);
}

static mp_status curves(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, double spend_max, mpi_curve_list *out)
{
    const broadcast *b = p;
    double cap = b->max_grp > 0 ? b->max_grp * b->cpp : INFINITY;
    return mpi_spend_curve(eval, p, ctx, ch, t, fmin(spend_max, cap), out);
}

static double reach(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch, double spend)
{
    (void)ctx;
    (void)ch;
    const broadcast *b = p;
    return b->universe * b->rmax * -expm1(-b->k * spend / b->cpp);
}

static double unit_cost(const void *p)
{
    return ((const broadcast *)p)->cpp;
}

/* TV and radio share the model; only their names differ. */
#define BROADCAST_OPS(NAME, KIND)                                                                  \
    {                                                                                              \
        .type = NAME, .media = NAME, .kind = KIND, .digital = 0, .co2_unit = N_("GRP"),            \
        .keys = keys, .create = create, .destroy = free, .set = set, .check = check,               \
        .curves = curves, .spend = eval, .exact = mpi_spend_exact,                                 \
        .cost_index = mpi_unit_cost_index, .cost_name = N_("cpp"), .unit_cost = unit_cost,         \
        .reach = reach                                                                             \
    }

const mpi_model_ops mpi_model_tv = BROADCAST_OPS("tv", N_("a TV channel"));
const mpi_model_ops mpi_model_radio = BROADCAST_OPS("radio", N_("a radio channel"));
