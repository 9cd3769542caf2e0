/* Reading a whole file. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a non-regular file is, in the words of the refusal. */
static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return N_("a directory");
    if (S_ISFIFO(mode))
        return N_("a FIFO (named pipe)");
    if (S_ISCHR(mode))
        return N_("a character device");
    if (S_ISBLK(mode))
        return N_("a block device");
    if (S_ISSOCK(mode))
        return N_("a socket");
    return N_("not a regular file");
}

/* Open without blocking (a FIFO with no writer would block open() forever) and refuse, from
 * fstat of the descriptor we will read, anything that is not a regular file: a FIFO, a device
 * such as /dev/zero or /dev/urandom (endless), a directory. Checking the descriptor rather than
 * the name leaves no window for the path to be swapped between the check and the read. */
static mp_status open_regular(const char *path, int *fd_out, off_t *size_out)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return mpi_fail(MP_ERR_IO, N_("%s: cannot open: %s"), path, mpi_strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return mpi_fail(MP_ERR_IO, N_("%s: cannot open: %s"), path, mpi_strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return mpi_fail(MP_ERR_IO, N_("%s: is %s, not a regular file"), path,
                        mpi_tr(mpi_msg_lang(), file_kind(sb.st_mode)));
    }
    if (sb.st_size > MPI_MAX_FILE_BYTES) {
        close(fd);
        return mpi_fail(MP_ERR_LIMIT, N_("%s: file larger than %ld MiB"), path,
                        MPI_MAX_FILE_BYTES / (1024 * 1024));
    }
    *fd_out = fd;
    *size_out = sb.st_size;
    return MP_OK;
}

/* Read fd to its end into a buffer of cap bytes, growing it if the file grew while we read. */
static mp_status read_all(const char *path, int fd, size_t cap, char **buf, size_t *len)
{
    size_t n = 0;
    char *b = mpi_malloc(cap);
    if (!b)
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory"), path);
    for (;;) {
        if (n + 1 >= cap) { /* the file grew while we read it */
            if (cap > (size_t)MPI_MAX_FILE_BYTES) {
                free(b);
                return mpi_fail(MP_ERR_LIMIT, N_("%s: file too large"), path);
            }
            char *nb = mpi_realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory"), path);
            }
            b = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, b + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(b);
            return mpi_fail(MP_ERR_IO, N_("%s: read error: %s"), path, mpi_strerror(e));
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return MP_OK;
}

mp_status mpi_read_file(const char *path, char **buf, size_t *len)
{
    int fd = -1;
    off_t size = 0;
    mp_status st = open_regular(path, &fd, &size);
    if (st != MP_OK)
        return st;
    st = read_all(path, fd, (size_t)size + 1, buf, len);
    close(fd);
    return st;
}
