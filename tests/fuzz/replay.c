/* Runs a fuzz target over files or folders of files (the seed corpus and the
 * regression cases of past crashes), for builds without libFuzzer:
 * `replay_x FILE|DIR...`. */
#include "fuzz_common.h"

#include <dirent.h>
#include <sys/stat.h>

static int replay_file(const char *path);

static int replay(const char *path, int *n)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        (*n)++;
        return replay_file(path);
    }
    DIR *d = opendir(path);
    if (!d)
        return 1;
    struct dirent *e;
    int rc = 0;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rc = replay(sub, n);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++)
        if (replay(argv[i], &n))
            return 1;
    printf("%d passed, 0 failed\n", n);
    return 0;
}

static int replay_file(const char *path)
{
    {
        FILE *f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "%s: cannot open\n", path);
            return 1;
        }
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        for (;;) {
            if (len == cap) {
                cap = cap ? cap * 2 : 4096;
                uint8_t *nb = realloc(buf, cap);
                if (!nb)
                    return 1;
                buf = nb;
            }
            size_t got = fread(buf + len, 1, cap - len, f);
            if (!got)
                break;
            len += got;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
    }
    return 0;
}
