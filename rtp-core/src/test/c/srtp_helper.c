/*
 * Interop helper for rtp-core's LibsrtpInteropIT: drives libsrtp 2 from stdin.
 *
 *   session <PROFILE> <in|out> <key||salt hex>   start a session (replaces the previous one)
 *   rtp <hex>                                    protect (out) or unprotect (in) one RTP packet
 *   rtcp <hex>                                   the same for RTCP
 *
 * Answers one line per command: "ok [hex]" or "err <libsrtp status>".
 * Built by the test with: cc -O2 -o srtp_helper srtp_helper.c -lsrtp2
 */
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srtp_t session;
static int outbound;

static int unhex(const char *s, unsigned char *out, int max) {
    int n = 0;
    while (s[0] && s[1] && s[0] != '\n' && n < max) {
        unsigned int b;
        if (sscanf(s, "%2x", &b) != 1) {
            return -1;
        }
        out[n++] = (unsigned char)b;
        s += 2;
    }
    return n;
}

static void hex(const unsigned char *b, int n) {
    for (int i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
}

static int set_profile(const char *name, srtp_policy_t *p) {
    if (!strcmp(name, "AES_CM_128_HMAC_SHA1_80")) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
    } else if (!strcmp(name, "AES_CM_128_HMAC_SHA1_32")) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
    } else if (!strcmp(name, "AES_256_CM_HMAC_SHA1_80")) {
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
    } else if (!strcmp(name, "AES_256_CM_HMAC_SHA1_32")) {
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&p->rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
    } else if (!strcmp(name, "AEAD_AES_128_GCM")) {
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
    } else if (!strcmp(name, "AEAD_AES_256_GCM")) {
        srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtp);
        srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtcp);
    } else if (!strcmp(name, "NULL_HMAC_SHA1_80")) {
        srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&p->rtp);
        srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&p->rtcp);
    } else {
        return -1;
    }
    return 0;
}

int main(void) {
    static char line[8192];
    static unsigned char key[64];
    static unsigned char buf[4096];
    if (srtp_init() != srtp_err_status_ok) {
        printf("err init\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        char cmd[16], a[64], b[8], c[200];
        if (sscanf(line, "session %63s %7s %199s", a, b, c) == 3) {
            srtp_policy_t p;
            memset(&p, 0, sizeof p);
            if (set_profile(a, &p) != 0 || unhex(c, key, sizeof key) <= 0) {
                printf("err profile\n");
                continue;
            }
            outbound = !strcmp(b, "out");
            p.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
            p.key = key;
            p.window_size = 128;
            if (session) {
                srtp_dealloc(session);
                session = NULL;
            }
            srtp_err_status_t st = srtp_create(&session, &p);
            if (st != srtp_err_status_ok) {
                printf("err %d\n", st);
            } else {
                printf("ok\n");
            }
            continue;
        }
        char *sp = strchr(line, ' ');
        if (!sp || !session) {
            printf("err command\n");
            continue;
        }
        *sp = 0;
        strncpy(cmd, line, sizeof cmd - 1);
        cmd[sizeof cmd - 1] = 0;
        int len = unhex(sp + 1, buf, 2048);
        if (len <= 0) {
            printf("err hex\n");
            continue;
        }
        srtp_err_status_t st;
        int rtcp = !strcmp(cmd, "rtcp");
        if (outbound) {
            st = rtcp ? srtp_protect_rtcp(session, buf, &len) : srtp_protect(session, buf, &len);
        } else {
            st = rtcp ? srtp_unprotect_rtcp(session, buf, &len) : srtp_unprotect(session, buf, &len);
        }
        if (st != srtp_err_status_ok) {
            printf("err %d\n", st);
        } else {
            printf("ok ");
            hex(buf, len);
            printf("\n");
        }
    }
    return 0;
}
