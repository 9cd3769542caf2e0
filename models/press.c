/* Press: insertions at a cost per insertion, each seen by an audience; the
 * readership reached saturates with insertions. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

typedef struct press {
    double cpi, audience, readership, max_insertions;
} press;

static const char *const keys[] = {"cpi", "audience", "readership", "max_insertions", NULL};

static void *create(void)
{
    return mpi_calloc(1, sizeof(press));
}

static mp_status set(void *p, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *v)
{
    press *s = p;
    const char *k = loc->key;
    if (!strcmp(k, "cpi"))
        return mpi_check_limit(mpi_get_pos(v, MPI_U_KM | MPI_U_CUR, ctx->currency, loc, &s->cpi),
                               loc, &s->cpi, &mpi_limit_unit_cost, ctx->currency);
    if (!strcmp(k, "audience"))
        return mpi_get_pos(v, MPI_U_KM, NULL, loc, &s->audience);
    if (!strcmp(k, "readership"))
        return mpi_get_pos(v, MPI_U_KM, NULL, loc, &s->readership);
    return mpi_get_pos(v, 0, NULL, loc, &s->max_insertions); /* max_insertions */
}

static mp_status check(void *p, const mpi_model_ctx *ctx, mpi_channel *ch)
{
    press *s = p;
    mpi_loc loc = {ctx->plan_path, ch->line, NULL};
    if (!(s->cpi > 0))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": press needs cpi (cost per insertion)"), ch->name);
    if (!(s->audience > 0))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": press needs audience (readers per insertion)"),
                           ch->name);
    if (!(s->readership > 0))
        s->readership = 2 * s->audience;
    if (s->readership < s->audience)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": readership is below the audience of one insertion"),
                           ch->name);
    return MP_OK;
}

static void eval(const void *p, const mpi_channel *ch, const mpi_period *t, double x, double *v)
{
    const press *s = p;
    double ins = x / s->cpi;
    v[MPI_IMPRESSIONS] = ins * s->audience;
    v[MPI_CO2] = ch->co2_per_unit * ins;
    mpi_resp_kpis(&ch->resp, x, t->weight, v);
}

static mp_status curves(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, double spend_max, mpi_curve_list *out)
{
    const press *s = p;
    double cap = s->max_insertions > 0 ? s->max_insertions * s->cpi : INFINITY;
    return mpi_spend_curve(eval, p, ctx, ch, t, fmin(spend_max, cap), out);
}

static double reach(const void *p, const mpi_model_ctx *ctx, const mpi_channel *ch, double spend)
{
    (void)ctx;
    (void)ch;
    const press *s = p;
    return s->readership * -expm1(-spend / s->cpi * s->audience / s->readership);
}

static double unit_cost(const void *p)
{
    return ((const press *)p)->cpi;
}

const mpi_model_ops mpi_model_press = {.type = "press",
                                       .media = "press",
                                       .kind = N_("a press channel"),
                                       .digital = 0,
                                       .co2_unit = N_("insertion"),
                                       .keys = keys,
                                       .create = create,
                                       .destroy = free,
                                       .set = set,
                                       .check = check,
                                       .curves = curves,
                                       .spend = eval,
                                       .exact = mpi_spend_exact,
                                       .cost_index = mpi_unit_cost_index,
                                       .cost_name = N_("cpi"),
                                       .unit_cost = unit_cost,
                                       .reach = reach};
