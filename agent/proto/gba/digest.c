// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP Digest for Ub: header values, response computation, AKA nonce.
 *
 * The parser is a single pass over the octets with an explicit length,
 * so a header value is never read past its end whatever it holds. Values
 * land in the caller's fixed-size fields; nothing is allocated.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "digest.h"
#include "util/why.h"

#define SCHEME		"Digest"

/* Character classes of RFC 7230 3.2.6, on octets. */

static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c);
}

/* qdtext: HTAB, SP, VCHAR but '"' and '\', and obs-text. */
static bool is_qdtext(unsigned char c)
{
	return c == '\t' || c == ' ' || c == 0x21 ||
	       (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) ||
	       c >= 0x80;
}

/* What may follow a '\' in a quoted-pair: HTAB, SP, VCHAR, obs-text. */
static bool is_quotable(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c <= 0x7e) || c >= 0x80;
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static bool is_lhex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool is_hex(char c)
{
	return is_lhex(c) || (c >= 'A' && c <= 'F');
}

static bool all_of(const char *s, bool (*class)(char), size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!class(s[i]))
			return false;
	}
	return s[len] == '\0';
}

static bool is_token(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (!is_tchar((unsigned char)s[i]))
			return false;
	}
	return i > 0;
}

/* Every octet may go into a quoted-string (with '"' and '\' escaped). */
static bool is_quotable_string(const char *s)
{
	for (; *s; s++) {
		if (!is_quotable((unsigned char)*s))
			return false;
	}
	return true;
}

static bool lower_ascii_equal(const char *a, size_t a_len, const char *b)
{
	size_t i;

	if (a_len != strlen(b))
		return false;
	for (i = 0; i < a_len; i++) {
		char c = a[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != b[i])
			return false;
	}
	return true;
}

static bool case_equal(const char *a, const char *b)
{
	return lower_ascii_equal(a, strlen(a), b);
}

/* The parameter tables: name (lower case), where it goes, how big. */

struct field {
	const char *name;
	size_t offset;
	size_t size;		/* of the buffer, with its NUL */
};

#define FIELD(type, member) \
	{ #member, offsetof(type, member), sizeof(((type *)0)->member) }

/* The challenge as parsed: stale comes as text, checked afterwards. */
struct challenge_text {
	struct digest_challenge c;
	char stale[8];
};

static const struct field challenge_fields[] = {
	{ "realm", offsetof(struct challenge_text, c.realm),
	  DIGEST_VALUE_MAX + 1 },
	{ "nonce", offsetof(struct challenge_text, c.nonce),
	  DIGEST_VALUE_MAX + 1 },
	{ "opaque", offsetof(struct challenge_text, c.opaque),
	  DIGEST_VALUE_MAX + 1 },
	{ "domain", offsetof(struct challenge_text, c.domain),
	  DIGEST_URI_MAX + 1 },
	{ "algorithm", offsetof(struct challenge_text, c.algorithm),
	  DIGEST_TOKEN_MAX + 1 },
	{ "qop", offsetof(struct challenge_text, c.qop),
	  DIGEST_QOP_LIST_MAX + 1 },
	FIELD(struct challenge_text, stale),
};

enum { CH_REALM, CH_NONCE };

static const struct field credentials_fields[] = {
	FIELD(struct digest_credentials, username),
	FIELD(struct digest_credentials, realm),
	FIELD(struct digest_credentials, nonce),
	FIELD(struct digest_credentials, uri),
	FIELD(struct digest_credentials, response),
	FIELD(struct digest_credentials, algorithm),
	FIELD(struct digest_credentials, cnonce),
	FIELD(struct digest_credentials, opaque),
	FIELD(struct digest_credentials, qop),
	FIELD(struct digest_credentials, nc),
	FIELD(struct digest_credentials, auts),
};

/* The first five are required. */
#define CREDENTIALS_REQUIRED	5

static const struct field auth_info_fields[] = {
	FIELD(struct digest_auth_info, nextnonce),
	FIELD(struct digest_auth_info, qop),
	FIELD(struct digest_auth_info, rspauth),
	FIELD(struct digest_auth_info, cnonce),
	FIELD(struct digest_auth_info, nc),
};

#define N_FIELDS(table) (sizeof(table) / sizeof((table)[0]))

/* The lexer. */

struct lexer {
	const char *s;
	size_t len;
	size_t pos;
	char *why;
	size_t why_size;
};

static bool at_end(const struct lexer *lx)
{
	return lx->pos >= lx->len;
}

static unsigned char peek(const struct lexer *lx)
{
	return at_end(lx) ? 0 : (unsigned char)lx->s[lx->pos];
}

static void skip_ows(struct lexer *lx)
{
	while (!at_end(lx) && is_ows(peek(lx)))
		lx->pos++;
}

/* A token at the cursor: *start and *len, or -EINVAL if there is none. */
static int lex_token(struct lexer *lx, const char **start, size_t *len)
{
	size_t from = lx->pos;

	while (!at_end(lx) && is_tchar(peek(lx)))
		lx->pos++;
	*start = lx->s + from;
	*len = lx->pos - from;
	return *len ? 0 : -EINVAL;
}

/*
 * A value, token or quoted-string, undone into out (out_size octets with
 * the NUL; NULL to only check it). -EINVAL for bad syntax, -E2BIG when it
 * does not fit.
 */
static int lex_value(struct lexer *lx, char *out, size_t out_size)
{
	size_t n = 0;
	unsigned char c;

	if (peek(lx) != '"') {
		const char *start;
		size_t len;

		if (lex_token(lx, &start, &len))
			return -EINVAL;
		if (out && len >= out_size)
			return -E2BIG;
		if (out) {
			memcpy(out, start, len);
			out[len] = '\0';
		}
		return 0;
	}
	lx->pos++;
	for (;;) {
		if (at_end(lx))
			return -EINVAL;		/* unterminated */
		c = peek(lx);
		lx->pos++;
		if (c == '"')
			break;
		if (c == '\\') {
			if (at_end(lx) || !is_quotable(peek(lx)))
				return -EINVAL;
			c = peek(lx);
			lx->pos++;
		} else if (!is_qdtext(c)) {
			return -EINVAL;
		}
		if (out && n + 1 >= out_size)
			return -E2BIG;
		if (out)
			out[n] = (char)c;
		n++;
	}
	if (out)
		out[n] = '\0';
	return 0;
}

/* The names seen so far, to refuse a parameter given twice. */
struct seen {
	const char *name[DIGEST_PARAMS_MAX];
	size_t len[DIGEST_PARAMS_MAX];
	unsigned int count;
	unsigned int known;	/* bit i: field i of the table was given */
};

static bool seen_before(const struct seen *seen, const char *name,
			size_t len)
{
	unsigned int i, j;

	for (i = 0; i < seen->count; i++) {
		if (seen->len[i] != len)
			continue;
		for (j = 0; j < len; j++) {
			char a = name[j], b = seen->name[i][j];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
		}
		if (j == len)
			return true;
	}
	return false;
}

/* The index of the field called name, or -1 for an unknown parameter. */
static int field_index(const struct field *fields, size_t n_fields,
		       const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n_fields; i++) {
		if (lower_ascii_equal(name, len, fields[i].name))
			return (int)i;
	}
	return -1;
}

static int lex_param(struct lexer *lx, const struct field *fields,
		     size_t n_fields, void *out, struct seen *seen)
{
	const char *name;
	size_t len;
	int index, ret;

	if (lex_token(lx, &name, &len)) {
		ub_why(lx->why, lx->why_size, "expected a parameter name");
		return -EINVAL;
	}
	if (seen->count == DIGEST_PARAMS_MAX) {
		ub_why(lx->why, lx->why_size, "more than %d parameters",
		       DIGEST_PARAMS_MAX);
		return -EINVAL;
	}
	if (seen_before(seen, name, len)) {
		ub_why(lx->why, lx->why_size, "parameter %.*s given twice",
		       (int)(len > 32 ? 32 : len), name);
		return -EINVAL;
	}
	seen->name[seen->count] = name;
	seen->len[seen->count++] = len;
	skip_ows(lx);
	if (peek(lx) != '=' || at_end(lx)) {
		ub_why(lx->why, lx->why_size, "no '=' after parameter %.*s",
		       (int)(len > 32 ? 32 : len), name);
		return -EINVAL;
	}
	lx->pos++;
	skip_ows(lx);
	index = field_index(fields, n_fields, name, len);
	if (index < 0) {
		ret = lex_value(lx, NULL, 0);
	} else {
		ret = lex_value(lx, (char *)out + fields[index].offset,
				fields[index].size);
		seen->known |= 1u << index;
	}
	if (ret == -E2BIG) {
		ub_why(lx->why, lx->why_size, "value of %s too long",
		       fields[index].name);
		return -EINVAL;
	}
	if (ret) {
		ub_why(lx->why, lx->why_size,
		       "bad value of parameter %.*s (unterminated quote or bad character)",
		       (int)(len > 32 ? 32 : len), name);
		return -EINVAL;
	}
	return 0;
}

/* #auth-param from the cursor to the end of the value. */
static int lex_params(struct lexer *lx, const struct field *fields,
		      size_t n_fields, void *out, struct seen *seen)
{
	int ret;

	for (;;) {
		skip_ows(lx);
		if (peek(lx) == ',' && !at_end(lx)) {
			ub_why(lx->why, lx->why_size, "empty list element");
			return -EINVAL;
		}
		ret = lex_param(lx, fields, n_fields, out, seen);
		if (ret)
			return ret;
		skip_ows(lx);
		if (at_end(lx))
			return 0;
		if (peek(lx) != ',') {
			ub_why(lx->why, lx->why_size,
			       "expected ',' after a parameter");
			return -EINVAL;
		}
		lx->pos++;
		skip_ows(lx);
		if (at_end(lx)) {
			ub_why(lx->why, lx->why_size, "trailing ','");
			return -EINVAL;
		}
	}
}

static int lex_start(struct lexer *lx, const char *value, size_t len,
		     bool scheme, char *why, size_t why_size)
{
	const char *name;
	size_t name_len;

	lx->s = value;
	lx->len = len;
	lx->pos = 0;
	lx->why = why;
	lx->why_size = why_size;
	if (!value || len == 0) {
		ub_why(why, why_size, "empty header value");
		return -EINVAL;
	}
	if (len > DIGEST_HEADER_MAX) {
		ub_why(why, why_size, "header value longer than %d octets",
		       DIGEST_HEADER_MAX);
		return -EINVAL;
	}
	skip_ows(lx);
	if (!scheme)
		return 0;
	if (lex_token(lx, &name, &name_len) ||
	    !lower_ascii_equal(name, name_len, "digest")) {
		ub_why(why, why_size, "scheme is not Digest");
		return -EINVAL;
	}
	if (!is_ows(peek(lx)) || at_end(lx)) {
		ub_why(why, why_size, "no parameters after Digest");
		return -EINVAL;
	}
	return 0;
}

/* Checks of the values, shared by the parsers and the builders. */

static bool terminated(const char *field, size_t size)
{
	return memchr(field, '\0', size) != NULL;
}

/* Every string field of a struct is NUL-terminated and quotable. */
static int check_strings(const void *obj, const struct field *fields,
			 size_t n_fields, char *why, size_t why_size)
{
	size_t i;

	for (i = 0; i < n_fields; i++) {
		const char *s = (const char *)obj + fields[i].offset;

		if (!terminated(s, fields[i].size)) {
			ub_why(why, why_size, "%s too long", fields[i].name);
			return -EINVAL;
		}
		if (!is_quotable_string(s)) {
			ub_why(why, why_size, "control character in %s",
			       fields[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

/* 1#token with optional whitespace around the commas. */
static bool is_token_list(const char *s)
{
	for (;;) {
		while (is_ows((unsigned char)*s))
			s++;
		if (!is_tchar((unsigned char)*s))
			return false;
		while (is_tchar((unsigned char)*s))
			s++;
		while (is_ows((unsigned char)*s))
			s++;
		if (!*s)
			return true;
		if (*s++ != ',')
			return false;
	}
}

static int check_challenge(const struct digest_challenge *c, char *why,
			   size_t why_size)
{
	int ret = check_strings(c, challenge_fields,
				N_FIELDS(challenge_fields) - 1, why,
				why_size);

	if (ret)
		return ret;
	if (!c->nonce[0]) {
		ub_why(why, why_size, "empty nonce");
		return -EINVAL;
	}
	if (c->algorithm[0] && !is_token(c->algorithm)) {
		ub_why(why, why_size, "algorithm is not a token");
		return -EINVAL;
	}
	if (c->qop[0] && !is_token_list(c->qop)) {
		ub_why(why, why_size, "qop is not a list of tokens");
		return -EINVAL;
	}
	return 0;
}

/* qop, nc and cnonce of credentials or Authentication-Info. */
static int check_qop(const char *qop, const char *nc, const char *cnonce,
		     char *why, size_t why_size)
{
	enum digest_qop q;

	if (digest_qop_of(qop, &q)) {
		ub_why(why, why_size, "qop is neither auth nor auth-int");
		return -EINVAL;
	}
	if (q == DIGEST_QOP_NONE) {
		if (nc[0] || cnonce[0]) {
			ub_why(why, why_size, "nc or cnonce without qop");
			return -EINVAL;
		}
		return 0;
	}
	if (!all_of(nc, is_hex, DIGEST_NC_LEN)) {
		ub_why(why, why_size, "nc is not 8 hex digits");
		return -EINVAL;
	}
	if (!cnonce[0]) {
		ub_why(why, why_size, "qop without cnonce");
		return -EINVAL;
	}
	return 0;
}

static int check_credentials(const struct digest_credentials *cr, char *why,
			     size_t why_size)
{
	uint8_t auts[AKA_AUTS_LEN];
	int ret = check_strings(cr, credentials_fields,
				N_FIELDS(credentials_fields), why, why_size);

	if (ret)
		return ret;
	if (!cr->username[0] || !cr->uri[0]) {
		ub_why(why, why_size, "empty username or uri");
		return -EINVAL;
	}
	if (cr->response[0] && !all_of(cr->response, is_lhex, DIGEST_HEX_LEN)) {
		ub_why(why, why_size,
		       "response is not 32 lower-case hex digits");
		return -EINVAL;
	}
	if (cr->algorithm[0] && !is_token(cr->algorithm)) {
		ub_why(why, why_size, "algorithm is not a token");
		return -EINVAL;
	}
	ret = check_qop(cr->qop, cr->nc, cr->cnonce, why, why_size);
	if (ret)
		return ret;
	if (cr->auts[0] && digest_auts_decode(cr->auts, auts)) {
		ub_why(why, why_size, "auts is not base64 of 14 octets");
		return -EINVAL;
	}
	return 0;
}

static int check_auth_info(const struct digest_auth_info *ai, char *why,
			   size_t why_size)
{
	int ret = check_strings(ai, auth_info_fields,
				N_FIELDS(auth_info_fields), why, why_size);

	if (ret)
		return ret;
	if (ai->rspauth[0] && !all_of(ai->rspauth, is_lhex, DIGEST_HEX_LEN)) {
		ub_why(why, why_size,
		       "rspauth is not 32 lower-case hex digits");
		return -EINVAL;
	}
	ret = check_qop(ai->qop, ai->nc, ai->cnonce, why, why_size);
	if (ret)
		return ret;
	if (ai->qop[0] && !ai->rspauth[0]) {
		ub_why(why, why_size, "qop without rspauth");
		return -EINVAL;
	}
	return 0;
}

/* The parsers. */

int digest_parse_challenge(const char *value, size_t len,
			   struct digest_challenge *challenge, char *why,
			   size_t why_size)
{
	struct challenge_text text;
	struct seen seen = { .count = 0 };
	struct lexer lx;
	int ret;

	memset(&text, 0, sizeof(text));
	ret = lex_start(&lx, value, len, true, why, why_size);
	if (!ret)
		ret = lex_params(&lx, challenge_fields,
				 N_FIELDS(challenge_fields), &text, &seen);
	if (ret)
		return ret;
	if (!(seen.known & (1u << CH_REALM)) ||
	    !(seen.known & (1u << CH_NONCE))) {
		ub_why(why, why_size, "realm or nonce missing");
		return -EINVAL;
	}
	if (case_equal(text.stale, "true")) {
		text.c.stale = true;
	} else if (text.stale[0] && !case_equal(text.stale, "false")) {
		ub_why(why, why_size, "stale is neither true nor false");
		return -EINVAL;
	}
	ret = check_challenge(&text.c, why, why_size);
	if (ret)
		return ret;
	*challenge = text.c;
	return 0;
}

int digest_parse_credentials(const char *value, size_t len,
			     struct digest_credentials *credentials,
			     char *why, size_t why_size)
{
	struct digest_credentials cr;
	struct seen seen = { .count = 0 };
	const unsigned int required = (1u << CREDENTIALS_REQUIRED) - 1;
	struct lexer lx;
	int ret;

	memset(&cr, 0, sizeof(cr));
	ret = lex_start(&lx, value, len, true, why, why_size);
	if (!ret)
		ret = lex_params(&lx, credentials_fields,
				 N_FIELDS(credentials_fields), &cr, &seen);
	if (ret)
		return ret;
	if ((seen.known & required) != required) {
		ub_why(why, why_size,
		       "username, realm, nonce, uri or response missing");
		return -EINVAL;
	}
	ret = check_credentials(&cr, why, why_size);
	if (ret)
		return ret;
	*credentials = cr;
	return 0;
}

int digest_parse_auth_info(const char *value, size_t len,
			   struct digest_auth_info *info, char *why,
			   size_t why_size)
{
	struct digest_auth_info ai;
	struct seen seen = { .count = 0 };
	struct lexer lx;
	int ret;

	memset(&ai, 0, sizeof(ai));
	ret = lex_start(&lx, value, len, false, why, why_size);
	if (!ret)
		ret = lex_params(&lx, auth_info_fields,
				 N_FIELDS(auth_info_fields), &ai, &seen);
	if (ret)
		return ret;
	ret = check_auth_info(&ai, why, why_size);
	if (ret)
		return ret;
	*info = ai;
	return 0;
}

/* The builders. */

struct builder {
	char *out;
	size_t size;
	size_t len;
	bool full;
	bool first;	/* no parameter yet: no ", " before the next */
};

static void put_char(struct builder *b, char c)
{
	if (b->len + 1 >= b->size) {
		b->full = true;
		return;
	}
	b->out[b->len++] = c;
	b->out[b->len] = '\0';
}

static void put_string(struct builder *b, const char *s)
{
	for (; *s; s++)
		put_char(b, *s);
}

static void put_name(struct builder *b, const char *name)
{
	if (!b->first)
		put_string(b, ", ");
	b->first = false;
	put_string(b, name);
	put_char(b, '=');
}

static void put_token(struct builder *b, const char *name, const char *value)
{
	put_name(b, name);
	put_string(b, value);
}

static void put_quoted(struct builder *b, const char *name, const char *value)
{
	put_name(b, name);
	put_char(b, '"');
	for (; *value; value++) {
		if (*value == '"' || *value == '\\')
			put_char(b, '\\');
		put_char(b, *value);
	}
	put_char(b, '"');
}

static void put_quoted_if(struct builder *b, const char *name,
			  const char *value)
{
	if (value[0])
		put_quoted(b, name, value);
}

static void put_token_if(struct builder *b, const char *name,
			 const char *value)
{
	if (value[0])
		put_token(b, name, value);
}

static int builder_start(struct builder *b, char *out, size_t size,
			 const char *scheme)
{
	b->out = out;
	b->size = size;
	b->len = 0;
	b->full = false;
	b->first = true;
	if (!size)
		return -ENOSPC;
	out[0] = '\0';
	if (scheme) {
		put_string(b, scheme);
		put_char(b, ' ');
	}
	return 0;
}

static int builder_end(struct builder *b)
{
	if (b->full) {
		b->out[0] = '\0';
		return -ENOSPC;
	}
	return (int)b->len;
}

int digest_build_challenge(char *out, size_t size,
			   const struct digest_challenge *c, char *why,
			   size_t why_size)
{
	struct builder b;
	int ret = check_challenge(c, why, why_size);

	if (ret)
		return ret;
	if (builder_start(&b, out, size, SCHEME))
		return -ENOSPC;
	put_quoted(&b, "realm", c->realm);
	put_quoted(&b, "nonce", c->nonce);
	put_quoted_if(&b, "domain", c->domain);
	put_quoted_if(&b, "opaque", c->opaque);
	put_token_if(&b, "algorithm", c->algorithm);
	put_quoted_if(&b, "qop", c->qop);
	if (c->stale)
		put_token(&b, "stale", "true");
	return builder_end(&b);
}

int digest_build_credentials(char *out, size_t size,
			     const struct digest_credentials *cr, char *why,
			     size_t why_size)
{
	struct builder b;
	int ret = check_credentials(cr, why, why_size);

	if (ret)
		return ret;
	if (builder_start(&b, out, size, SCHEME))
		return -ENOSPC;
	put_quoted(&b, "username", cr->username);
	put_quoted(&b, "realm", cr->realm);
	put_quoted(&b, "nonce", cr->nonce);
	put_quoted(&b, "uri", cr->uri);
	put_token_if(&b, "qop", cr->qop);
	put_token_if(&b, "nc", cr->nc);
	put_quoted_if(&b, "cnonce", cr->cnonce);
	put_quoted(&b, "response", cr->response);
	put_quoted_if(&b, "opaque", cr->opaque);
	put_token_if(&b, "algorithm", cr->algorithm);
	put_quoted_if(&b, "auts", cr->auts);
	return builder_end(&b);
}

int digest_build_auth_info(char *out, size_t size,
			   const struct digest_auth_info *ai, char *why,
			   size_t why_size)
{
	struct builder b;
	int ret = check_auth_info(ai, why, why_size);

	if (ret)
		return ret;
	if (builder_start(&b, out, size, NULL))
		return -ENOSPC;
	put_quoted_if(&b, "nextnonce", ai->nextnonce);
	put_token_if(&b, "qop", ai->qop);
	put_quoted_if(&b, "rspauth", ai->rspauth);
	put_quoted_if(&b, "cnonce", ai->cnonce);
	put_token_if(&b, "nc", ai->nc);
	/* An Authentication-Info with nothing in it is not a header. */
	if (b.first) {
		ub_why(why, why_size, "no parameter to send");
		out[0] = '\0';
		return -EINVAL;
	}
	return builder_end(&b);
}

/* Algorithm and qop names. */

enum digest_algorithm digest_algorithm_of(const char *algorithm)
{
	if (!algorithm[0] || case_equal(algorithm, "md5"))
		return DIGEST_ALG_MD5;
	if (case_equal(algorithm, "akav1-md5"))
		return DIGEST_ALG_AKAV1_MD5;
	return DIGEST_ALG_UNSUPPORTED;
}

/* qop values are compared as written: they go into the hash as such. */
int digest_qop_of(const char *qop, enum digest_qop *out)
{
	if (!qop[0])
		*out = DIGEST_QOP_NONE;
	else if (!strcmp(qop, "auth"))
		*out = DIGEST_QOP_AUTH;
	else if (!strcmp(qop, "auth-int"))
		*out = DIGEST_QOP_AUTH_INT;
	else
		return -EINVAL;
	return 0;
}

static const char *qop_name(enum digest_qop qop)
{
	return qop == DIGEST_QOP_AUTH_INT ? "auth-int" : "auth";
}

bool digest_qop_offered(const char *qop_options, enum digest_qop qop)
{
	const char *want = qop_name(qop);
	const char *s = qop_options;

	if (qop == DIGEST_QOP_NONE)
		return !qop_options[0];
	while (*s) {
		const char *start;

		while (is_ows((unsigned char)*s) || *s == ',')
			s++;
		start = s;
		while (*s && *s != ',' && !is_ows((unsigned char)*s))
			s++;
		if (s > start && lower_ascii_equal(start, (size_t)(s - start),
						   want))
			return true;
	}
	return false;
}

/* The computation. */

struct part {
	const void *data;
	size_t len;
};

/* MD5 of the parts joined by ':', in lower-case hex. 0 or -EIO. */
static int md5_hex(char out[DIGEST_HEX_LEN + 1], const struct part *parts,
		   size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;
	size_t i;

	if (!ctx)
		return -EIO;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	for (i = 0; ok && i < n; i++) {
		if (i)
			ok = EVP_DigestUpdate(ctx, ":", 1);
		if (ok && parts[i].len)
			ok = EVP_DigestUpdate(ctx, parts[i].data,
					      parts[i].len);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &md_len) && md_len == 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -EIO;
	for (i = 0; i < 16; i++) {
		out[2 * i] = "0123456789abcdef"[md[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[md[i] & 0x0f];
	}
	out[DIGEST_HEX_LEN] = '\0';
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

static struct part str_part(const char *s)
{
	return (struct part){ s, strlen(s) };
}

static int check_input(const struct digest_input *in, bool rspauth)
{
	if (!in->username || !in->realm || !in->uri || !in->nonce ||
	    (!rspauth && !in->method) ||
	    (!in->password && in->password_len) ||
	    (!in->body && in->body_len))
		return -EINVAL;
	if (in->qop != DIGEST_QOP_NONE && in->qop != DIGEST_QOP_AUTH &&
	    in->qop != DIGEST_QOP_AUTH_INT)
		return -EINVAL;
	if (in->qop != DIGEST_QOP_NONE && (!in->nc || !in->cnonce))
		return -EINVAL;
	return 0;
}

/* RFC 2617 3.2.2.1-3; method NULL for rspauth (an empty method). */
static int compute(char out[DIGEST_HEX_LEN + 1],
		   const struct digest_input *in, const char *method)
{
	char ha1[DIGEST_HEX_LEN + 1], ha2[DIGEST_HEX_LEN + 1];
	char body[DIGEST_HEX_LEN + 1] = "";	/* MD5(entity-body) */
	struct part a1[3] = {
		str_part(in->username), str_part(in->realm),
		{ in->password, in->password_len },
	};
	struct part entity = { in->body, in->body_len };
	struct part a2[3];
	struct part kd[6];
	int ret;

	ret = md5_hex(ha1, a1, 3);
	if (!ret && in->qop == DIGEST_QOP_AUTH_INT)
		ret = md5_hex(body, &entity, 1);
	a2[0] = str_part(method);
	a2[1] = str_part(in->uri);
	a2[2] = str_part(body);
	if (!ret)
		ret = md5_hex(ha2, a2, in->qop == DIGEST_QOP_AUTH_INT ? 3 : 2);
	if (!ret && in->qop == DIGEST_QOP_NONE) {
		kd[0] = str_part(ha1);
		kd[1] = str_part(in->nonce);
		kd[2] = str_part(ha2);
		ret = md5_hex(out, kd, 3);
	} else if (!ret) {
		kd[0] = str_part(ha1);
		kd[1] = str_part(in->nonce);
		kd[2] = str_part(in->nc);
		kd[3] = str_part(in->cnonce);
		kd[4] = str_part(qop_name(in->qop));
		kd[5] = str_part(ha2);
		ret = md5_hex(out, kd, 6);
	}
	/* HA1 stands for the password: with it anyone can answer. */
	OPENSSL_cleanse(ha1, sizeof(ha1));
	OPENSSL_cleanse(kd, sizeof(kd));
	return ret;
}

int digest_response(char out[DIGEST_HEX_LEN + 1],
		    const struct digest_input *input)
{
	int ret = check_input(input, false);

	return ret ? ret : compute(out, input, input->method);
}

int digest_rspauth(char out[DIGEST_HEX_LEN + 1],
		   const struct digest_input *input)
{
	int ret = check_input(input, true);

	return ret ? ret : compute(out, input, "");
}

static int compare(const char computed[DIGEST_HEX_LEN + 1], const char *got)
{
	if (!got || strnlen(got, DIGEST_HEX_LEN + 1) != DIGEST_HEX_LEN)
		return -EBADMSG;
	return CRYPTO_memcmp(computed, got, DIGEST_HEX_LEN) ? -EBADMSG : 0;
}

int digest_response_check(const struct digest_input *input,
			  const char *response)
{
	char computed[DIGEST_HEX_LEN + 1];
	int ret = digest_response(computed, input);

	if (!ret)
		ret = compare(computed, response);
	OPENSSL_cleanse(computed, sizeof(computed));
	return ret;
}

int digest_rspauth_check(const struct digest_input *input,
			 const char *rspauth)
{
	char computed[DIGEST_HEX_LEN + 1];
	int ret = digest_rspauth(computed, input);

	if (!ret)
		ret = compare(computed, rspauth);
	OPENSSL_cleanse(computed, sizeof(computed));
	return ret;
}

/* Base64 (RFC 4648 4, with padding), strict. */

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decodes text into exactly len octets at out. Refuses any other length,
 * a character outside the alphabet, padding anywhere but at the end, and
 * non-zero bits in the last character's unused part (so each octet string
 * has one encoding only). out is untouched on error.
 */
static int b64_decode_exact(const char *text, uint8_t *out, size_t len)
{
	size_t chars = (len + 2) / 3 * 4, pad = (3 - len % 3) % 3;
	uint8_t buf[48];
	uint32_t acc = 0;
	size_t i, n = 0;
	int bits = 0;

	if (len > sizeof(buf) || strnlen(text, chars + 1) != chars)
		return -EINVAL;
	for (i = 0; i < chars - pad; i++) {
		int v = b64_value(text[i]);

		if (v < 0)
			return -EINVAL;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[n++] = (uint8_t)(acc >> bits);
		}
	}
	for (; i < chars; i++) {
		if (text[i] != '=')
			return -EINVAL;
	}
	if (n != len || (acc & ((1u << bits) - 1))) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return -EINVAL;
	}
	memcpy(out, buf, len);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

static int b64_encode(char *out, size_t out_len, const uint8_t *in,
		      size_t len)
{
	/* EVP_EncodeBlock() writes out_len characters and a NUL. */
	if (EVP_EncodeBlock((unsigned char *)out, in, (int)len) !=
	    (int)out_len)
		return -EIO;
	return 0;
}

int digest_aka_nonce_encode(char out[DIGEST_AKA_NONCE_LEN + 1],
			    const uint8_t rand[AKA_RAND_LEN],
			    const uint8_t autn[AKA_AUTN_LEN])
{
	uint8_t nonce[AKA_RAND_LEN + AKA_AUTN_LEN];

	memcpy(nonce, rand, AKA_RAND_LEN);
	memcpy(nonce + AKA_RAND_LEN, autn, AKA_AUTN_LEN);
	return b64_encode(out, DIGEST_AKA_NONCE_LEN, nonce, sizeof(nonce));
}

int digest_aka_nonce_decode(const char *nonce, uint8_t rand[AKA_RAND_LEN],
			    uint8_t autn[AKA_AUTN_LEN])
{
	uint8_t octets[AKA_RAND_LEN + AKA_AUTN_LEN];

	if (b64_decode_exact(nonce, octets, sizeof(octets)))
		return -EINVAL;
	memcpy(rand, octets, AKA_RAND_LEN);
	memcpy(autn, octets + AKA_RAND_LEN, AKA_AUTN_LEN);
	return 0;
}

int digest_auts_encode(char out[DIGEST_AUTS_LEN + 1],
		       const uint8_t auts[AKA_AUTS_LEN])
{
	return b64_encode(out, DIGEST_AUTS_LEN, auts, AKA_AUTS_LEN);
}

int digest_auts_decode(const char *text, uint8_t auts[AKA_AUTS_LEN])
{
	return b64_decode_exact(text, auts, AKA_AUTS_LEN);
}
