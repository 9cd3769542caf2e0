/* What-if runs as the reports read them. */
#ifndef MPI_WHATIF_H
#define MPI_WHATIF_H

#include "report.h"

enum mpi_axis_kind { MPI_AX_INFLATION, MPI_AX_BUDGET, MPI_AX_COST, MPI_AX_CONSTRAINT };

typedef struct mpi_axis {
    char *label; /* "inflation", "budget", "cpm:meta", "constraint:cpa" ... */
    int kind;
    unsigned char *in; /* [nch] channels the axis moves (inflation, cost) */
    int cons;          /* constraint index (MPI_AX_CONSTRAINT) */
    int group;         /* keyword group of an inflation axis, -1 for channels */
    int pct;           /* values are rates or changes, shown as % */
    double *values;
    unsigned char *bare; /* [n] 1: value i was written without % (a bare number) */
    size_t n;
} mpi_axis;

/* Read a --vary specification, NAME=VALUES, into a (axes.c): NAME is
 * inflation[:channel|media|group], budget, cpm|cpp|cpc|cpi:channel|media or
 * constraint:name; VALUES a comma list or a range LO..HI/STEP, in the
 * parameter's unit. On failure a is left empty (nothing to free) and the
 * message names spec. */
mp_status mpi_axis_parse(const mp_plan *plan, const char *spec, mpi_axis *a);
/* Warnings on d for the values of axis a (given as spec) that the plan file
 * would warn about (README, "Units and typical ranges"): an inflation
 * outside its typical range or a bare 1, a unit cost (the plan's CPM or cost
 * per GRP times 1 + the change) outside its range, a reach bound in people
 * that is under 1 % of the universe. At most one warning per axis and
 * channel, listing the values. */
mp_status mpi_axis_warn(const mp_plan *plan, const mpi_axis *a, const char *spec, mpi_diag *d);
/* Free what an axis holds and empty it; a no-op on an empty axis or NULL. */
void mpi_axis_free(mpi_axis *a);
/* Set the parameter axis a moves to v in scenario sc (a cost change
 * multiplies the scenario's unit cost by 1 + v). */
void mpi_axis_apply(const mp_plan *plan, const mpi_axis *a, double v, mpi_scenario *sc);

typedef struct mpi_scen {
    size_t idx[2]; /* value index on each axis */
    int result;    /* mp_result */
    int planless;  /* time_limit before any plan meeting every row was found */
    char *explain;
    double objective;    /* the exact model's, at the LP's spends */
    double lp_objective; /* the LP's (its chords), at the same spends */
    double bound, gap;   /* certified bound on the exact optimum and gap (bound.h); NAN: none */
    double kpi[MPI_NKPI];
    double *spend;               /* [nch] */
    double *ch_kpi;              /* [nch * MPI_NKPI] each channel's KPIs (MPI_CH_KPI's layout) */
    double *ceiling_spend;       /* [nch] spend on keyword curves bought up to their bid ceiling */
    double media[MPI_MAX_MEDIA]; /* spend by media family (mpi_media_name()) */
    double marginal;             /* max plans: objective per currency unit of budget (the budget's
                                  * shadow price on the exact curves, shadow.c);
                                  * min plans: cost of one more unit of the binding target (marginal_kpi);
                                  * NAN for a MIP */
    int marginal_kpi; /* min plans: the KPI of the binding target row, -1 when none binds */
    double unspent;   /* budget - total spend, currency */
    double eff_reach; /* people reached [plan] effective_frequency times (effective.c); NAN
                       * without it or without a plan */
    /* budget not all spent: the binding row that stops it as the JSON's
     * constraints name it ("cpa"), or why none does ("caps or saturation"),
     * or NULL; a second row that stops it too, or NULL; both in a planner's
     * words in each language ("cpa and meta's max_spend") */
    char *stopped_by, *stopped_also;
    char *stopped_words[MPI_NLANG];
    int mip;
    /* A booked plan's scenario, solved as its MIP (mip.c): branch and cut's
     * verdict (MPI_LP_OPTIMAL, _TIME_LIMIT or _INFEASIBLE), nodes and own gap
     * (INFINITY: no booked plan found) */
    int booked;
    int mip_status;
    long mip_nodes;
    double mip_gap;
    double mip_relax; /* the relaxation's LP objective (NAN: it stopped at the time limit) */
    /* With a plan: [nch * periods] spend, whole units (NAN: not in units) and
     * 1 where the channel airs, of the booked channels (others 0, NAN, 0);
     * NULL for a plan not booked */
    double *book_spend, *book_units;
    unsigned char *book_airs;
    /* A plan with draws: the scenario's outcomes over them at its spends
     * (uncertain.c), as optimize gives the plan's; else NULL */
    mpi_quantiles *quant;
    /* The time limit ran out before the plan for the bad draws (or held in
     * every draw) was found: the plan is the mean plan, chosen for the
     * average, kept when it holds every must_hold constraint in every draw */
    int draws_stopped;
    /* Constraints that must hold in every draw: their worst draw at the
     * scenario's spends on the exact curves and whether they bind there, as
     * optimize's (hold.c); NULL when none must */
    mpi_hold_out *hold;
} mpi_scen;

struct mp_whatif {
    const mp_plan *plan;
    mp_solution *base; /* the plan as written, solved by optimize */
    mpi_axis ax[2];
    size_t nax;
    mpi_scen *s;
    size_t ns;
    double sweep_s;
    int cold;
    size_t full_solves; /* scenarios solved whole (not from the previous optimum) */
    mpi_diag diag;      /* the run's own warnings (its axes' values) */
};

int mpi_scen_solved(const mpi_scen *s);
/* A plan with draws: the base plan's quantiles, or the first scenario's
 * when the base has none (no plan as written); NULL without draws. */
const mpi_quantiles *mpi_whatif_quant(const mp_whatif *w);

/* Whether channel c of a booked run is bought in whole spots or insertions
 * (mip.c): some scenario has its units (whatif_view.c). */
int mpi_whatif_in_units(const mp_whatif *w, size_t c);
/* Channel c's whole spots or insertions in scenario s over the plan's
 * periods; NAN when s has none of it. */
double mpi_scen_units(const mp_whatif *w, const mpi_scen *s, size_t c);

/* Value v of axis a as the terminal's table writes it ("7 %") (summary.c). */
void mpi_whatif_axis_text(mpi_lang lang, char *b, size_t n, const mpi_axis *a, double v);
/* Under the terminal's table of a one-axis run, what it means for the money
 * from its first scenario with a plan to its last: the objective's change
 * and the budget it is worth, the cost per unit, where the money moves and
 * each channel's price per click (whatif_words.c). Nothing for a grid or
 * fewer than two plans. */
void mpi_whatif_reading(FILE *out, mpi_lang lang, const mp_whatif *w, const mpi_whatif_report *wr);
/* The same lines, unwrapped, added to lines (the Scenarios sheet's);
 * MP_ERR_NOMEM when out of memory (lines keeps those added). */
mp_status mpi_whatif_reading_lines(mpi_lang lang, const mp_whatif *w, const mpi_whatif_report *wr,
                                   mpi_strlist *lines);
/* A scenario's notes on its draws added to buf, on the terminal each as
 * "  (note)", else "; " between two: a plan the time limit left chosen for
 * the average ("chosen for the average, not yet for the bad draws"), and
 * each constraint held in every draw that is at its bound in its worst draw
 * ("cpa at its limit in draw 145 of 200: 70.00 EUR") (whatif_words.c). */
void mpi_scen_draws_notes(mpi_lang lang, const mp_whatif *w, const mpi_scen *s, int terminal,
                          char *buf, size_t n);

#endif
