/* voice: see voice.h. */
#include "voice.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>
#include <ini.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "file.h"

#define PROMPTS_MAX 64
#define VOICE_PARTS 2 /* a call: Mandarin, then English */

struct voice {
    SDL_AudioDeviceID dev;
    int rate;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop, pending;
    /* what to say next: a chime first (calls), then one or two parts, each in its language */
    bool chime;
    int nparts;
    char lang[VOICE_PARTS][8], text[VOICE_PARTS][1024];
    long samples;
    int nprompts;
    char *keys[PROMPTS_MAX], *pinyin[PROMPTS_MAX];
    short *pcm; /* what the synthesis callback collects */
    size_t pcm_len, pcm_cap;
};

static struct voice *synth_target; /* espeak's callback has no user pointer of its own */

static int on_samples(short *wav, int n, espeak_EVENT *ev) {
    (void)ev;
    struct voice *v = synth_target;
    if (!wav || n <= 0 || !v)
        return 0;
    if (v->pcm_len + (size_t)n > v->pcm_cap) {
        size_t cap = (v->pcm_len + (size_t)n) * 2;
        short *p = realloc(v->pcm, cap * sizeof *p);
        if (!p)
            return 1; /* stop: out of memory */
        v->pcm = p;
        v->pcm_cap = cap;
    }
    memcpy(v->pcm + v->pcm_len, wav, (size_t)n * sizeof *wav);
    v->pcm_len += (size_t)n;
    return 0;
}

/* n samples more of pcm (silence), or of the two-tone chime of a call (a falling 880 Hz then
 * 660 Hz, each fading out): 0, or -1 when memory runs out. */
static int pcm_add(struct voice *v, size_t n, bool chime) {
    if (v->pcm_len + n > v->pcm_cap) {
        size_t cap = (v->pcm_len + n) * 2;
        short *p = realloc(v->pcm, cap * sizeof *p);
        if (!p)
            return -1;
        v->pcm = p;
        v->pcm_cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        if (chime) {
            size_t half = n / 2, k = i < half ? i : i - half;
            double f = i < half ? 880.0 : 660.0, t = (double)k / v->rate;
            s = 9000.0 * SDL_sin(2 * 3.14159265358979 * f * t) * (1.0 - (double)k / (double)half);
        }
        v->pcm[v->pcm_len + i] = (short)s;
    }
    v->pcm_len += n;
    return 0;
}

static void *voice_main(void *arg) {
    struct voice *v = arg;
    pthread_mutex_lock(&v->lock);
    while (!v->stop || v->pending) { /* what was asked is still said (and counted) */
        if (!v->pending) {
            pthread_cond_wait(&v->wake, &v->lock);
            continue;
        }
        char lang[VOICE_PARTS][8], text[VOICE_PARTS][1024];
        int nparts = v->nparts;
        bool chime = v->chime;
        for (int i = 0; i < nparts; i++) {
            snprintf(lang[i], sizeof lang[i], "%s", v->lang[i]);
            snprintf(text[i], sizeof text[i], "%s", v->text[i]);
        }
        v->pending = false;
        pthread_mutex_unlock(&v->lock);
        v->pcm_len = 0;
        if (chime) /* 0.8 s of chime, 0.2 s of silence */
            pcm_add(v, (size_t)v->rate * 8 / 10, true), pcm_add(v, (size_t)v->rate / 5, false);
        espeak_ERROR vrc = EE_OK, rc = EE_OK;
        for (int i = 0; i < nparts && vrc == EE_OK && rc == EE_OK; i++) {
            if (i)
                pcm_add(v, (size_t)v->rate / 2, false); /* half a second between languages */
            vrc = espeak_SetVoiceByName(!strcmp(lang[i], "en") ? "en" : "cmn-latn-pinyin");
            synth_target = v;
            rc = espeak_Synth(text[i], strlen(text[i]) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                              NULL, NULL);
            synth_target = NULL;
        }
        if (rc != EE_OK || vrc != EE_OK || !v->pcm_len)
            log_warn("voice", "espeak-ng said nothing (voice %d, synth %d)", (int)vrc, (int)rc);
        if (v->pcm_len) {
            SDL_ClearQueuedAudio(v->dev); /* the newer prompt replaces the older */
            SDL_QueueAudio(v->dev, v->pcm, (Uint32)(v->pcm_len * sizeof(short)));
            SDL_PauseAudioDevice(v->dev, 0);
        }
        pthread_mutex_lock(&v->lock);
        v->samples += (long)v->pcm_len;
    }
    pthread_mutex_unlock(&v->lock);
    return NULL;
}

static int on_prompt(void *ud, const char *section, const char *name, const char *value) {
    struct voice *v = ud;
    if (strcmp(section, "zh-CN") != 0 || v->nprompts == PROMPTS_MAX)
        return 1;
    v->keys[v->nprompts] = strdup(name);
    v->pinyin[v->nprompts] = strdup(value);
    v->nprompts++;
    return 1;
}

struct voice *voice_create(const char *prompts_file) {
    struct voice *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    if (file_ini(prompts_file, 64 << 10, on_prompt, v) != 0)
        log_warn("voice", "the Mandarin prompts cannot be read: %s", prompts_file);
    v->rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 500, NULL, 0);
    if (v->rate <= 0) {
        log_warn("voice", "espeak-ng cannot start: no spoken prompts");
        voice_destroy(v);
        return NULL;
    }
    espeak_SetSynthCallback(on_samples);
    SDL_AudioSpec want = {.freq = v->rate, .format = AUDIO_S16SYS, .channels = 1, .samples = 2048};
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0 ||
        (v->dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0)) == 0) {
        log_warn("voice", "no audio device (%s): no spoken prompts", SDL_GetError());
        espeak_Terminate();
        v->rate = 0;
        voice_destroy(v);
        return NULL;
    }
    pthread_mutex_init(&v->lock, NULL);
    pthread_cond_init(&v->wake, NULL);
    if (pthread_create(&v->thread, NULL, voice_main, v) != 0) {
        SDL_CloseAudioDevice(v->dev);
        espeak_Terminate();
        pthread_mutex_destroy(&v->lock);
        pthread_cond_destroy(&v->wake);
        v->dev = 0;
        v->rate = 0;
        voice_destroy(v);
        return NULL;
    }
    log_info("voice", "spoken prompts on (%d Hz, %d Mandarin prompts)", v->rate, v->nprompts);
    return v;
}

void voice_destroy(struct voice *v) {
    if (!v)
        return;
    if (v->dev) {
        pthread_mutex_lock(&v->lock);
        v->stop = true;
        pthread_cond_broadcast(&v->wake);
        pthread_mutex_unlock(&v->lock);
        pthread_join(v->thread, NULL);
        log_info("voice", "%ld samples spoken", v->samples);
        SDL_CloseAudioDevice(v->dev);
        espeak_Terminate();
        pthread_mutex_destroy(&v->lock);
        pthread_cond_destroy(&v->wake);
    }
    for (int i = 0; i < v->nprompts; i++) {
        free(v->keys[i]);
        free(v->pinyin[i]);
    }
    free(v->pcm);
    free(v);
}

void voice_number_pinyin(const char *number, char *out, size_t cap) {
    static const char *const digits[] = {"ling2", "yi1",  "er4", "san1", "si4",
                                         "wu3",   "liu4", "qi1", "ba1",  "jiu3"};
    size_t o = 0;
    out[0] = 0;
    for (const char *p = number; *p && o + 8 < cap; p++) {
        if (*p >= '0' && *p <= '9')
            o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? " " : "", digits[*p - '0']);
        else if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            o += (size_t)snprintf(out + o, cap - o, "%s%c", o ? " " : "", *p);
    }
}

/* What to say for key: the catalog's text in English, the pinyin prompt otherwise (NULL: none,
 * and silence rather than wrong tones). */
static const char *prompt(const struct voice *v, bool en, const char *key, const char *text) {
    if (en)
        return text;
    for (int i = 0; i < v->nprompts; i++)
        if (!strcmp(v->keys[i], key))
            return v->pinyin[i];
    return NULL;
}

/* number read out digit by digit: pinyin digits, or letters and digits one by one */
static void spell(bool en, const char *number, char *out, size_t cap) {
    out[0] = 0;
    if (!en) {
        voice_number_pinyin(number, out, cap);
        return;
    }
    size_t o = 0;
    for (const char *p = number; *p && o + 3 < cap; p++)
        o += (size_t)snprintf(out + o, cap - o, "%c ", *p);
}

/* Hands n parts (language, text) to the synthesis thread, in place of what was still
 * waiting; a chime before them when asked. */
static void speak_parts(struct voice *v, bool chime, int n, const char *const *lang,
                        const char *const *text) {
    pthread_mutex_lock(&v->lock);
    v->chime = chime;
    v->nparts = n < VOICE_PARTS ? n : VOICE_PARTS;
    for (int i = 0; i < v->nparts; i++) {
        snprintf(v->lang[i], sizeof v->lang[i], "%s", lang[i]);
        snprintf(v->text[i], sizeof v->text[i], "%s", text[i]);
    }
    v->pending = true;
    pthread_cond_broadcast(&v->wake);
    pthread_mutex_unlock(&v->lock);
}

static void speak(struct voice *v, const char *lang, const char *text) {
    speak_parts(v, false, 1, &lang, &text);
}

void voice_say(struct voice *v, const char *lang, const char *key, const char *text,
               const char *number) {
    bool en = !strcmp(lang, "en");
    const char *say = v ? prompt(v, en, key, text) : NULL;
    if (!say)
        return;
    char num[128] = "", out[sizeof v->text[0]];
    if (number && number[0])
        spell(en, number, num, sizeof num);
    snprintf(out, sizeof out, "%s%s%s", say, num[0] ? ", " : "", num);
    speak(v, lang, out);
    log_info("voice", "say %s", key);
}

/* say with each {name} of args spelled, into out (cap bytes). */
static void fill_numbers(bool en, const char *say, const char *const *args, char *out,
                         size_t cap) {
    size_t o = 0;
    for (const char *p = say; *p && o + 1 < cap;) {
        const char *val = NULL;
        size_t skip = 0;
        for (int i = 0; *p == '{' && args && args[i] && args[i + 1]; i += 2) {
            size_t n = strlen(args[i]);
            if (!strncmp(p + 1, args[i], n) && p[1 + n] == '}') {
                val = args[i + 1];
                skip = n + 2;
            }
        }
        if (val) {
            char spelled[128];
            spell(en, val, spelled, sizeof spelled);
            o += (size_t)snprintf(out + o, cap - o, "%s", spelled);
            if (o >= cap)
                o = cap - 1;
            p += skip;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
}

void voice_say_numbers(struct voice *v, const char *lang, const char *key, const char *text,
                       const char *const *args) {
    bool en = !strcmp(lang, "en");
    const char *say = v ? prompt(v, en, key, text) : NULL;
    if (!say)
        return;
    char out[sizeof v->text[0]];
    fill_numbers(en, say, args, out, sizeof out);
    speak(v, lang, out);
    log_info("voice", "say %s: %s", key, out); /* numbers and windows: nothing personal */
}

void voice_call(struct voice *v, const char *key, const char *text_en, const char *const *args) {
    const char *zh = v ? prompt(v, false, key, NULL) : NULL;
    if (!v || (!zh && !text_en))
        return;
    char out[VOICE_PARTS][sizeof v->text[0]];
    const char *langs[VOICE_PARTS], *texts[VOICE_PARTS];
    int n = 0;
    if (zh) {
        fill_numbers(false, zh, args, out[n], sizeof out[n]);
        langs[n] = "zh-CN";
        texts[n] = out[n];
        log_info("voice", "say %s: %s", key, out[n]);
        n++;
    }
    if (text_en) {
        fill_numbers(true, text_en, args, out[n], sizeof out[n]);
        langs[n] = "en";
        texts[n] = out[n];
        log_info("voice", "say %s in English: %s", key, out[n]);
        n++;
    }
    speak_parts(v, true, n, langs, texts);
}

long voice_samples(const struct voice *v) {
    if (!v)
        return 0;
    pthread_mutex_lock((pthread_mutex_t *)&v->lock);
    long n = v->samples;
    pthread_mutex_unlock((pthread_mutex_t *)&v->lock);
    return n;
}
