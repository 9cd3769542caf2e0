/* The deadline of this thread's run: a time limit covers building the curves as well as
 * solving, so the curve loops (engine and models) and the solver adapter all read it here. */
#include "base.h"

#include <time.h>

/* The end of this thread's run (monotonic seconds), or 0: each what-if worker thread
 * has its own scenario's. */
static _Thread_local double deadline_s;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mpi_solve_deadline(double limit_s)
{
    deadline_s = limit_s > 0 ? mono_s() + limit_s : 0;
}

double mpi_deadline_left_s(void)
{
    if (deadline_s <= 0)
        return -1;
    double left = deadline_s - mono_s();
    return left > 0 ? left : 0;
}

int mpi_deadline_passed(void)
{
    return deadline_s > 0 && mono_s() >= deadline_s;
}
