/* The LP as the engine builds it, before it reaches the solver: boxed columns
 * (0 <= x <= ub) and named rows stored by row. Indexes are 0-based here; the
 * GLPK adapter (glpk.c, the only file that includes glpk.h) alone converts
 * them. */
#ifndef MPI_LP_H
#define MPI_LP_H

#include "base.h"

#include <math.h>
#include <stdint.h>

enum mpi_row_kind {
    MPI_ROW_BUDGET,
    MPI_ROW_PERIOD,
    MPI_ROW_MIN,
    MPI_ROW_MAX,
    MPI_ROW_FIXED,
    MPI_ROW_REACH_LINK,
    MPI_ROW_CONSTRAINT,
    MPI_ROW_ORDER,
    MPI_ROW_ADSTOCK /* a carrying-over channel's spend in a period is >= 0 (build.c) */
};

/* Rows the model adds for itself (a reach curve's link, an adstocked
 * channel's spend >= 0), which reports do not list as the plan's. */
static inline int mpi_row_internal(int kind)
{
    return kind == MPI_ROW_REACH_LINK || kind == MPI_ROW_ADSTOCK;
}

typedef struct mpi_row {
    char *name;  /* LP-safe name */
    char *label; /* what a planner reads: "offline-share: share(tv, radio) >= 30%" */
    int kind;    /* enum mpi_row_kind */
    int ref;     /* channel, period or constraint index */
    int op;
    double rhs;
    double param;      /* the constraint value its coefficients were built with */
    double size;       /* for a row that is part of a larger one (restricted.c), that row's
                          size, which its check is relative to; else 0 */
    size_t start, len; /* coefficients ind[start..start+len), val[...], columns ascending;
                          len MPI_ROW_HEADER: a row without them (a model's, whose
                          coefficients come from its curves), so that a walk along it
                          meets ind == NULL at once rather than reading nothing */
} mpi_row;

#define MPI_ROW_HEADER SIZE_MAX

/* A column's kind in mpi_lp.binary: integer columns (flights' on/off, whole
 * spots and insertions) make the LP a MIP, solved by branch and cut. */
enum mpi_col_kind { MPI_COL_CONT = 0, MPI_COL_BINARY = 1, MPI_COL_INT = 2 };

typedef struct mpi_lp {
    int sense; /* +1 maximise, -1 minimise */
    size_t ncols;
    double *obj, *ub;
    unsigned char *binary; /* [ncols] enum mpi_col_kind (MPI_COL_BINARY for a 0/1 column,
                              MPI_COL_INT for whole spots or insertions), or NULL: a pure LP */
    double mip_gap_tol;    /* with integers: branch and cut stops once its incumbent is proved
                              within this relative gap of the best integer point (0: the best) */
    mpi_row *rows;
    size_t nrows, rcap;
    size_t *ind;
    double *val;
    size_t nnz, nzcap;
} mpi_lp;

void mpi_lp_free(mpi_lp *lp);

/* Result of one LP solve. */
enum { MPI_LP_OPTIMAL, MPI_LP_INFEASIBLE, MPI_LP_UNBOUNDED, MPI_LP_TIME_LIMIT };
typedef struct mpi_lp_sol {
    int status;
    double obj;
    double *x;        /* [ncols] */
    double *row_act;  /* [nrows] */
    double *row_dual; /* [nrows], d objective / d rhs; 0 for a MIP */
    int mip;          /* solved with binaries */
    long mip_nodes;   /* branch and cut's nodes (the root counts 1), 0 for an LP */
    double mip_gap;   /* GLPK's own gap of the incumbent to its best bound, 0 at an optimum,
                         NAN when not known; INFINITY: stopped (MPI_LP_TIME_LIMIT) before
                         any incumbent, x then all 0 and no point (mpi_lp_sol_pointless) */
    /* [2 * nrows] or NULL: the rows at x as the engine's class table sums
     * them (activities, then sizes), worked out by a solve that walked
     * every segment at x anyway; valid only until x moves */
    double *rows_at;
    int in_order; /* the same solve found x filling every curve in order (0: not, or not known) */
} mpi_lp_sol;

/* A MIP stopped by its time limit before branch and cut found any integer
 * point: x is no answer. */
static inline int mpi_lp_sol_pointless(const mpi_lp_sol *s)
{
    return s->mip && s->status == MPI_LP_TIME_LIMIT && s->mip_gap == INFINITY;
}

void mpi_lp_sol_free(mpi_lp_sol *s);
/* Free this thread's GLPK environment (a worker thread calls it before it ends). */
void mpi_glpk_thread_end(void);
/* Solve once, from a dual-feasible basis, by the thread's deadline (mpi_solve_deadline) or
 * else the options' limit. Once the deadline has passed nothing is loaded: the status is
 * MPI_LP_TIME_LIMIT with every column at 0. */
mp_status mpi_glpk_solve(const mpi_lp *lp, const mp_solve_opts *opts, mpi_lp_sol *sol);
/* As mpi_glpk_solve, for an LP whose having no solution only steers the
 * caller (a band of a larger LP, widened then): a verdict of infeasible or
 * unbounded is taken from the first run, without the tighter and exact runs
 * that confirm one (an exact run of a 45,000-column band cost as much as the
 * rest of its solve). An optimum is checked and repaired as always. */
mp_status mpi_glpk_solve_hint(const mpi_lp *lp, const mp_solve_opts *opts, mpi_lp_sol *sol);
/* For tests of a MIP stopped by its time limit, which no timing makes
 * repeatable: on, this thread's branch and cut stops at its first integer
 * point, exactly as the limit stops it (status MPI_LP_TIME_LIMIT with that
 * incumbent). Off by default. */
void mpi_glpk_test_stop_at_incumbent(int on);

/* ---- the LP's numbers (lpnum.c) ------------------------------------------------ */

/* How tightly a solution must hold, relative to the sizes involved: every row within
 * its bound, every optimality condition within this. */
#define MPI_LP_TOL_REL 1e-9

/* Power-of-two scale factors: the solver sees column j as x_j / col[j] (col[j] near
 * the column's upper bound), row r multiplied by row[r] (its largest term then
 * about 1) and the objective multiplied by obj. Powers of two change no digit. */
typedef struct mpi_lp_scale {
    double *row; /* [nrows] */
    double *col; /* [ncols] */
    double obj;
} mpi_lp_scale;
mp_status mpi_lp_scale_init(const mpi_lp *lp, mpi_lp_scale *s);
void mpi_lp_scale_free(mpi_lp_scale *s);

/* A solution checked against the LP in double. */
typedef struct mpi_lp_check {
    int ok;            /* excess_rel and dual_rel within MPI_LP_TOL_REL */
    size_t worst_row;  /* the row furthest outside its bound, or (size_t)-1 */
    double excess_rel; /* how far, relative to the row's size (rhs or sum of |terms|) */
    double dual_rel;   /* the worst optimality condition the row prices break: a
                          reduced cost of the wrong sign relative to its terms, or a
                          priced row's slack (price x slack relative to the objective);
                          0 for a MIP */
} mpi_lp_check;
/* Check an optimal solution: columns are moved into their bounds, row activities
 * and the objective recomputed from them (into sol); then the worst row's excess,
 * and for an LP the optimality conditions from the row prices. */
mp_status mpi_lp_verify(const mpi_lp *lp, mpi_lp_sol *sol, mpi_lp_check *chk);

typedef void (*mpi_col_namer)(const void *ctx, size_t j, char *buf, size_t n);
/* Write the LP to path, its objective's constant c0 (0: none) as a column
 * carried_in fixed at 1, which the LP format's readers take; messages name
 * the output as name. */
mp_status mpi_glpk_write_lp(const mpi_lp *lp, double c0, mpi_col_namer namer, const void *ctx,
                            const char *path, const char *name);

#endif /* MPI_LP_H */
