/* jsonsub: is every member of EXPECTED also in ACTUAL, with the same value?
 *
 *   jsonsub EXPECTED.json ACTUAL.json
 *
 * Exit 0 when it is; 1 naming the first member that differs (its name only: the values may
 * be personal data, even synthetic); 2 when a file is not a JSON object. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

static cJSON *load(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    cJSON *j = cJSON_Parse(buf);
    return cJSON_IsObject(j) ? j : NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: jsonsub EXPECTED.json ACTUAL.json\n");
        return 2;
    }
    cJSON *want = load(argv[1]), *got = load(argv[2]);
    if (!want || !got) {
        fprintf(stderr, "jsonsub: %s is not a JSON object\n", want ? argv[2] : argv[1]);
        cJSON_Delete(want);
        cJSON_Delete(got);
        return 2;
    }
    int rc = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, want) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, m->string);
        if (!g || !cJSON_Compare(m, g, 1)) {
            printf("jsonsub: member %s %s\n", m->string, g ? "differs" : "is missing");
            rc = 1;
            break;
        }
    }
    cJSON_Delete(want);
    cJSON_Delete(got);
    return rc;
}
