/* What a what-if scenario's money buys, as the reports read it (report.h,
 * mpi_report_scenario): its cost per unit of the return KPI, per conversion
 * and its ROAS, each channel's cost per click and per conversion, the
 * change of the objective against the base plan said as budget, and a
 * booked channel's whole spots or insertions. */
#include "report.h"
#include "whatif.h"

static double per(double num, double den)
{
    return den > 0 ? num / den : NAN;
}

/* The base plan's price of one more unit of budget, in objective per
 * currency unit: its first row's shadow price on the exact curves (whatif.c
 * keeps the scenarios' so); NAN in min plans, after a MIP or without it. */
static double base_budget_price(const mp_whatif *w)
{
    const mp_solution *b = w->base;
    if (w->plan->obj_sense < 0 || !b || !b->rows || b->lp.mip)
        return NAN;
    return b->rows[0].shadow;
}

void mpi_scenario_buys(const mp_whatif *w, const mpi_report *b, mpi_report_scenario *o)
{
    const mpi_scen *s = o->s;
    size_t nch = w->plan->nch;
    mpi_objective obj;
    mpi_objective_of(w->plan, &obj);
    o->per_return = o->cpa = o->roas = o->budget_equivalent = NAN;
    for (size_t c = 0; c < nch; c++)
        o->cpc[c] = o->ch_cpa[c] = NAN;
    if (!o->solved)
        return;
    double spend = s->kpi[MPI_SPEND];
    o->per_return = per(spend, s->kpi[obj.return_q]);
    o->cpa = per(spend, s->kpi[MPI_CONVERSIONS]);
    o->roas = s->kpi[MPI_REVENUE] > 0 ? per(s->kpi[MPI_REVENUE], spend) : NAN;
    for (size_t c = 0; c < nch; c++) {
        const double *k = &s->ch_kpi[c * MPI_NKPI];
        o->cpc[c] = per(k[MPI_SPEND], k[MPI_CLICKS]);
        o->ch_cpa[c] = per(k[MPI_SPEND], k[MPI_CONVERSIONS]);
    }
    double price = base_budget_price(w);
    if (b && isfinite(price) && price > 0 && !isnan(o->delta_objective))
        o->budget_equivalent = o->delta_objective / price;
}

int mpi_whatif_in_units(const mp_whatif *w, size_t c)
{
    for (size_t i = 0; i < w->ns; i++)
        if (!isnan(mpi_scen_units(w, &w->s[i], c)))
            return 1;
    return 0;
}

double mpi_scen_units(const mp_whatif *w, const mpi_scen *s, size_t c)
{
    size_t np = (size_t)w->plan->periods;
    if (!np || c >= w->plan->nch || !s->book_units || isnan(s->book_units[c * np]))
        return NAN;
    double total = 0;
    for (size_t t = 0; t < np; t++)
        total += isnan(s->book_units[c * np + t]) ? 0 : s->book_units[c * np + t];
    return total;
}
