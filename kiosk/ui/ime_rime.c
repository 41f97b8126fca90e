/* ime_rime: ime.h over librime.
 *
 * librime is loaded with dlopen() on first use, not linked: it brings Boost, glog, LevelDB,
 * OpenCC and yaml-cpp with it, which cost start-up time and memory on a kiosk that may stand on
 * its home screen all day. Its whole C API is one table returned by rime_get_api(). */
#include "ime.h"

#include <dlfcn.h>
#include <errno.h>
#include <rime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

struct ime {
    RimeApi *api;
    RimeSessionId session;
    char user_dir[512];
    char commit[512];
    size_t commit_len;
};

/* librime may be set up once per process. */
static bool rime_set_up;

/* Our settings for librime, rewritten at every start so that a changed file cannot turn the
 * user dictionary back on. */
static int write_file(const char *dir, const char *name, const char *text) {
    char path[640];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0;
    ok = fclose(f) == 0 && ok;
    return ok ? 0 : -1;
}

static const char default_custom[] = "# written by the kiosk at every start\n"
                                     "patch:\n"
                                     "  schema_list:\n"
                                     "    - schema: luna_pinyin_simp\n"
                                     "  menu/page_size: 9\n";

static const char schema_custom[] =
    "# written by the kiosk at every start: no learning from what citizens type\n"
    "patch:\n"
    "  translator/enable_user_dict: false\n"
    "  translator/enable_encoder: false\n"
    "  translator/enable_sentence: true\n";

static RimeApi *load_rime(void) {
    static RimeApi *api;
    if (api)
        return api;
    void *lib = dlopen("librime.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        log_error("ime", "cannot load librime: %s", dlerror());
        return NULL;
    }
    RimeApi *(*get_api)(void);
    *(void **)&get_api = dlsym(lib, "rime_get_api");
    api = get_api ? get_api() : NULL;
    if (!api)
        log_error("ime", "librime has no rime_get_api");
    return api; /* the library stays loaded: librime may be set up only once */
}

struct ime *ime_create(const char *user_dir) {
    if (mkdir(user_dir, 0700) != 0 && errno != EEXIST) {
        log_error("ime", "cannot create %s: %s", user_dir, strerror(errno));
        return NULL;
    }
    if (write_file(user_dir, "default.custom.yaml", default_custom) != 0 ||
        write_file(user_dir, "luna_pinyin_simp.custom.yaml", schema_custom) != 0) {
        log_error("ime", "cannot write the librime settings in %s", user_dir);
        return NULL;
    }
    struct ime *ime = calloc(1, sizeof *ime);
    if (!ime)
        return NULL;
    snprintf(ime->user_dir, sizeof ime->user_dir, "%s", user_dir);
    ime->api = load_rime();
    if (!ime->api) {
        free(ime);
        return NULL;
    }
    RIME_STRUCT(RimeTraits, traits);
    traits.shared_data_dir = "/usr/share/rime-data";
    traits.user_data_dir = ime->user_dir;
    traits.distribution_name = "kiosk";
    traits.distribution_code_name = "kiosk";
    traits.distribution_version = "1";
    traits.app_name = "rime.kiosk";
    traits.min_log_level = 2; /* errors only */
    traits.log_dir = ime->user_dir;
    if (!rime_set_up) {
        ime->api->setup(&traits);
        rime_set_up = true;
    }
    ime->api->initialize(&traits);
    /* Deploys in librime's maintenance thread; does nothing when the build is current. */
    ime->api->start_maintenance(True);
    return ime;
}

void ime_destroy(struct ime *ime) {
    if (!ime)
        return;
    ime_wait_ready(ime);
    if (ime->session)
        ime->api->destroy_session(ime->session);
    ime->api->finalize();
    explicit_bzero(ime->commit, sizeof ime->commit);
    free(ime);
}

bool ime_ready(struct ime *ime) {
    return ime && !ime->api->is_maintenance_mode();
}

void ime_wait_ready(struct ime *ime) {
    if (ime)
        ime->api->join_maintenance_thread();
}

static bool ensure_session(struct ime *ime) {
    if (ime->session && ime->api->find_session(ime->session))
        return true;
    ime_wait_ready(ime);
    ime->session = ime->api->create_session();
    if (!ime->session) {
        log_error("ime", "librime could not create a session");
        return false;
    }
    ime->api->select_schema(ime->session, "luna_pinyin_simp");
    return true;
}

static void collect_commit(struct ime *ime) {
    RIME_STRUCT(RimeCommit, c);
    if (ime->api->get_commit(ime->session, &c)) {
        size_t n = strlen(c.text);
        if (ime->commit_len + n < sizeof ime->commit) {
            memcpy(ime->commit + ime->commit_len, c.text, n);
            ime->commit_len += n;
            ime->commit[ime->commit_len] = 0;
        }
        ime->api->free_commit(&c);
    }
}

bool ime_key(struct ime *ime, int key) {
    if (!ime || !ensure_session(ime))
        return false;
    bool took = ime->api->process_key(ime->session, key, 0);
    collect_commit(ime);
    return took;
}

bool ime_select(struct ime *ime, int index) {
    if (!ime || !ensure_session(ime) || index < 0)
        return false;
    bool ok = ime->api->select_candidate_on_current_page(ime->session, (size_t)index);
    collect_commit(ime);
    return ok;
}

void ime_get_state(struct ime *ime, struct ime_state *st) {
    memset(st, 0, sizeof *st);
    if (!ime || !ime->session)
        return;
    RIME_STRUCT(RimeContext, ctx);
    if (!ime->api->get_context(ime->session, &ctx))
        return;
    if (ctx.composition.preedit)
        snprintf(st->preedit, sizeof st->preedit, "%s", ctx.composition.preedit);
    int n = ctx.menu.num_candidates < IME_PAGE_MAX ? ctx.menu.num_candidates : IME_PAGE_MAX;
    for (int i = 0; i < n; i++)
        snprintf(st->cand[i], sizeof st->cand[i], "%s", ctx.menu.candidates[i].text);
    st->count = n;
    st->page = ctx.menu.page_no;
    st->last_page = ctx.menu.is_last_page;
    ime->api->free_context(&ctx);
}

size_t ime_take_commit(struct ime *ime, char *out, size_t size) {
    if (!ime || size == 0)
        return 0;
    size_t n = ime->commit_len < size - 1 ? ime->commit_len : size - 1;
    memcpy(out, ime->commit, n);
    out[n] = 0;
    explicit_bzero(ime->commit, sizeof ime->commit);
    ime->commit_len = 0;
    return n;
}

void ime_reset(struct ime *ime) {
    if (!ime)
        return;
    if (ime->session)
        ime->api->clear_composition(ime->session);
    explicit_bzero(ime->commit, sizeof ime->commit);
    ime->commit_len = 0;
}
