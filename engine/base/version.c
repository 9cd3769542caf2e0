/* The library's version. MPI_VERSION comes from project(mixplan VERSION ...)
 * in CMakeLists.txt, the one place it is written; it is defined for this file
 * only, so a new version recompiles one file. */
#include "base.h"

#ifndef MPI_VERSION
#error "MPI_VERSION is set by CMakeLists.txt from project(mixplan VERSION ...)"
#endif

const char *mp_version(void)
{
    return MPI_VERSION;
}
