/* Passes over the curves in two fixed halves (bound.h): the halves are the
 * same whether a second thread runs one of them or not, and callers add
 * their sums in order, so an answer does not depend on the threads. */
#include "bound.h"

#include <pthread.h>

/* Curves from which a pass runs its halves on two threads: below it a
 * thread costs more than it saves. */
static size_t halves_min_curves = 4096;

size_t mpi_halves_tune_threads(size_t min_curves)
{
    size_t was = halves_min_curves;
    halves_min_curves = min_curves;
    return was;
}

void mpi_halves_run(size_t curves, void *(*fn)(void *), void *half0, void *half1)
{
    pthread_t second;
    int threaded = curves >= halves_min_curves && pthread_create(&second, NULL, fn, half1) == 0;
    fn(half0);
    if (threaded)
        pthread_join(second, NULL);
    else
        fn(half1);
}
