/* The media types mixplan knows: adding one is one file and one line here. */
#include "models.h"

#include <stdio.h>
#include <string.h>

const mpi_model_ops *const mpi_models[] = {
    &mpi_model_search, &mpi_model_social, &mpi_model_tv,
    &mpi_model_radio,  &mpi_model_press,  &mpi_model_curve,
};
const size_t mpi_model_count = sizeof mpi_models / sizeof mpi_models[0];

const mpi_model_ops *mpi_model_find(const char *type)
{
    for (size_t i = 0; i < mpi_model_count; i++)
        if (mpi_strieq(type, mpi_models[i]->type))
            return mpi_models[i];
    return NULL;
}

void mpi_model_type_list(char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < mpi_model_count && o < n; i++) {
        const char *sep = i == 0                     ? ""
                          : i + 1 == mpi_model_count ? mpi_tr(mpi_msg_lang(), N_(" or "))
                                                     : ", ";
        int w = snprintf(buf + o, n - o, "%s%s", sep, mpi_models[i]->type);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

double mpi_unit_cost_index(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                           long keyword, int t, double rate)
{
    (void)params;
    (void)keyword;
    return mpi_price_index(&ctx->cal, ch->price_day, t, isnan(rate) ? ch->inflation : rate);
}

char *mpi_model_path(const mpi_model_ctx *ctx, const char *rel)
{
    return mpi_path_resolve(ctx->dir, rel);
}
