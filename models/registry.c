/* The media types mixplan knows: adding one is one file and one line here. */
#include "models.h"

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

double mpi_unit_cost_index(const void *params, const mp_plan *plan, const mpi_channel *ch,
                           long keyword, int t, double rate)
{
    (void)params;
    (void)keyword;
    return mpi_price_index(plan, ch, t, isnan(rate) ? ch->inflation : rate);
}
