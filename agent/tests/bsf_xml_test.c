// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gba/bsf_xml.c: the BootstrappingInfo body of TS 24.109 Annex C, built
 * byte for byte, parsed in the forms a BSF may send, and refused when it
 * is not one (including the DTD and entity tricks libxml2 is kept from).
 */
#include <errno.h>

#include "tap.h"
#include "proto/gba/bsf_xml.h"
#include "util/why.h"

#define BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define LIFETIME 1714564800	/* 2024-05-01T12:00:00Z */
#define NOW	1714478400	/* 2024-04-30T12:00:00Z */

static const char built[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<BootstrappingInfo xmlns=\"uri:3gpp-gba\">\n"
	"  <btid>" BTID "</btid>\n"
	"  <lifetime>2024-05-01T12:00:00Z</lifetime>\n"
	"</BootstrappingInfo>\n";

static const char built_ext[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<BootstrappingInfo xmlns=\"uri:3gpp-gba\">\n"
	"  <btid>" BTID "</btid>\n"
	"  <lifetime>2024-05-01T12:00:00Z</lifetime>\n"
	"  <Extension>\n"
	"    <currenttime>2024-04-30T12:00:00Z</currenttime>\n"
	"  </Extension>\n"
	"</BootstrappingInfo>\n";

static int parse(const char *body, struct bsf_info *info, char *why)
{
	return bsf_xml_parse(body, strlen(body), info, why, UB_WHY_MAX);
}

static void test_build(void)
{
	struct bsf_info info = { .btid = BTID, .lifetime = LIFETIME }, back;
	char out[BSF_XML_MAX], why[UB_WHY_MAX];
	int len;

	len = bsf_xml_build(out, sizeof(out), &info, why, sizeof(why));
	ok(len == (int)strlen(built) && !strcmp(out, built),
	   "BootstrappingInfo built");
	if (strcmp(out, built))
		printf("# got:\n%s", out);
	ok(parse(out, &back, why) == 0 && !strcmp(back.btid, BTID) &&
	   back.lifetime == LIFETIME && back.currenttime == 0,
	   "and parses back");
	info.currenttime = NOW;
	len = bsf_xml_build(out, sizeof(out), &info, why, sizeof(why));
	ok(len == (int)strlen(built_ext) && !strcmp(out, built_ext),
	   "with currenttime in Extension");
	if (strcmp(out, built_ext))
		printf("# got:\n%s", out);
	ok(parse(out, &back, why) == 0 && back.lifetime == LIFETIME &&
	   back.currenttime == NOW, "and parses back");
	ok(bsf_xml_build(out, 100, &info, why, sizeof(why)) == -ENOSPC,
	   "too small a buffer: -ENOSPC");
	strcpy(info.btid, "no-at-sign");
	ok(bsf_xml_build(out, sizeof(out), &info, why, sizeof(why)) ==
	   -EINVAL && !strcmp(why, "btid is not a B-TID"),
	   "an invalid B-TID refused");
	strcpy(info.btid, BTID);
	info.lifetime = -1;
	ok(bsf_xml_build(out, sizeof(out), &info, why, sizeof(why)) ==
	   -EINVAL, "a lifetime out of range refused");
	info.lifetime = LIFETIME;
	strcpy(info.btid, "a<&>b@bsf");
	ok(bsf_xml_build(out, sizeof(out), &info, why, sizeof(why)) > 0 &&
	   strstr(out, "<btid>a&lt;&amp;&gt;b@bsf</btid>") &&
	   parse(out, &back, why) == 0 && !strcmp(back.btid, "a<&>b@bsf"),
	   "markup in a B-TID escaped and read back");
}

static void test_parse_forms(void)
{
	struct bsf_info info;
	char why[UB_WHY_MAX];

	ok(parse("<gba:BootstrappingInfo xmlns:gba=\"uri:3gpp-gba\">"
		 "<gba:lifetime>2024-05-01T12:00:00Z</gba:lifetime>"
		 "<gba:btid>" BTID "</gba:btid></gba:BootstrappingInfo>",
		 &info, why) == 0 && !strcmp(info.btid, BTID) &&
	   info.lifetime == LIFETIME, "prefixed namespace, any order");
	ok(parse("<?xml version=\"1.0\"?>\n"
		 "<BootstrappingInfo xmlns=\"uri:3gpp-gba\" foo=\"bar\">\n"
		 "<!-- a comment -->\n"
		 "<btid>\n  " BTID "\n</btid>\n"
		 "<unknown><btid>x@y</btid></unknown>\n"
		 "<x:btid xmlns:x=\"urn:other\">x@y</x:btid>\n"
		 "<lifetime attr=\"1\"><![CDATA[2024-05-01T12:00:00.75Z]]>"
		 "</lifetime>\n"
		 "<Extension><other/><currenttime>2024-04-30T12:00:00Z"
		 "</currenttime></Extension>\n"
		 "<?pi stuff?></BootstrappingInfo>", &info, why) == 0 &&
	   !strcmp(info.btid, BTID) && info.lifetime == LIFETIME &&
	   info.currenttime == NOW,
	   "whitespace, comments, CDATA, fractions, unknown elements and attributes");
}

struct reject {
	const char *body;
	const char *why;
};

#define DOC(children) \
	"<BootstrappingInfo xmlns=\"uri:3gpp-gba\">" children \
	"</BootstrappingInfo>"
#define GOOD_BTID "<btid>" BTID "</btid>"
#define GOOD_LIFETIME "<lifetime>2024-05-01T12:00:00Z</lifetime>"

static void test_rejects(void)
{
	static const struct reject rejects[] = {
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\">",
		  "not well-formed XML" },
		{ "not xml at all", "not well-formed XML" },
		{ "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		  DOC("<btid>a\xe9@b</btid>" GOOD_LIFETIME),
		  "not well-formed XML" },
		{ DOC(GOOD_BTID GOOD_LIFETIME) "<second/>",
		  "not well-formed XML" },
		{ DOC(GOOD_BTID "<lifetime>&undefined;</lifetime>"),
		  "not well-formed XML" },
		{ "<bootstrappingInfo xmlns=\"uri:3gpp-gba\">" GOOD_BTID
		  GOOD_LIFETIME "</bootstrappingInfo>", "root is not" },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gbax\">" GOOD_BTID
		  GOOD_LIFETIME "</BootstrappingInfo>", "root is not" },
		{ "<BootstrappingInfo>" GOOD_BTID GOOD_LIFETIME
		  "</BootstrappingInfo>", "root is not" },
		{ DOC(GOOD_LIFETIME), "btid or lifetime missing" },
		{ DOC(GOOD_BTID), "btid or lifetime missing" },
		{ DOC("<btid xmlns=\"\">" BTID "</btid>" GOOD_LIFETIME),
		  "btid or lifetime missing" },
		{ DOC(GOOD_BTID GOOD_BTID GOOD_LIFETIME), "btid given twice" },
		{ DOC(GOOD_BTID GOOD_LIFETIME GOOD_LIFETIME),
		  "lifetime given twice" },
		{ DOC(GOOD_BTID GOOD_LIFETIME "<Extension/><Extension/>"),
		  "Extension given twice" },
		{ DOC("<btid>nobody</btid>" GOOD_LIFETIME),
		  "btid is not a B-TID" },
		{ DOC("<btid>a b@c</btid>" GOOD_LIFETIME),
		  "btid is not a B-TID" },
		{ DOC("<btid>a<i>b</i>@c</btid>" GOOD_LIFETIME),
		  "btid is not a B-TID" },
		{ DOC("<btid></btid>" GOOD_LIFETIME), "btid is not a B-TID" },
		{ DOC(GOOD_BTID "<lifetime>2024-05-01T12:00:00+00:00</lifetime>"),
		  "lifetime is not" },
		{ DOC(GOOD_BTID "<lifetime>2024-05-01T12:00:00</lifetime>"),
		  "lifetime is not" },
		{ DOC(GOOD_BTID "<lifetime>tomorrow</lifetime>"),
		  "lifetime is not" },
		{ DOC(GOOD_BTID GOOD_LIFETIME
		      "<Extension><currenttime>now</currenttime></Extension>"),
		  "currenttime is not" },
		{ DOC(GOOD_BTID GOOD_LIFETIME
		      "<Extension><currenttime>2024-04-30T12:00:00Z</currenttime>"
		      "<currenttime>2024-04-30T12:00:00Z</currenttime>"
		      "</Extension>"), "currenttime given twice" },
		{ "<?xml version=\"1.0\"?>\n"
		  "<!DOCTYPE BootstrappingInfo [<!ENTITY b \"" BTID "\">]>\n"
		  DOC("<btid>&b;</btid>" GOOD_LIFETIME), "document has a DTD" },
		{ "<?xml version=\"1.0\"?>\n"
		  "<!DOCTYPE BootstrappingInfo [<!ENTITY x SYSTEM "
		  "\"file:///etc/passwd\">]>\n"
		  DOC("<btid>&x;</btid>" GOOD_LIFETIME), "document has a DTD" },
		{ "<?xml version=\"1.0\"?>\n"
		  "<!DOCTYPE BootstrappingInfo SYSTEM \"http://x/bsf.dtd\">\n"
		  DOC(GOOD_BTID GOOD_LIFETIME), "document has a DTD" },
		{ "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\">"
		  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		  "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
		  DOC("<btid>&c;@x</btid>" GOOD_LIFETIME),
		  "document has a DTD" },
	};
	struct bsf_info info;
	char why[UB_WHY_MAX], big[BSF_XML_MAX + 2];
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);

	memset(&info, 0x5a, sizeof(info));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(parse(rejects[i].body, &info, why) == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "refused: %s (%zu)", rejects[i].why, i);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
	ok(((unsigned char *)&info)[0] == 0x5a &&
	   ((unsigned char *)&info)[sizeof(info) - 1] == 0x5a,
	   "a refused body leaves the info untouched");
	ok(bsf_xml_parse("", 0, &info, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "empty body"), "refused: empty body");
	memset(big, ' ', sizeof(big));
	memcpy(big, DOC(GOOD_BTID GOOD_LIFETIME),
	       strlen(DOC(GOOD_BTID GOOD_LIFETIME)));
	ok(bsf_xml_parse(big, BSF_XML_MAX, &info, why, sizeof(why)) == 0,
	   "a body of %d octets is read", BSF_XML_MAX);
	ok(bsf_xml_parse(big, BSF_XML_MAX + 1, &info, why, sizeof(why)) ==
	   -EINVAL && strstr(why, "longer than"),
	   "refused: a body of %d octets", BSF_XML_MAX + 1);
	snprintf(big, sizeof(big), DOC(GOOD_LIFETIME "<btid>%0*d@x</btid>"),
		 STORE_BTID_MAX - 2, 0);
	ok(parse(big, &info, why) == 0 &&
	   strlen(info.btid) == STORE_BTID_MAX,
	   "a B-TID of %d octets is read", STORE_BTID_MAX);
	snprintf(big, sizeof(big), DOC(GOOD_LIFETIME "<btid>%0*d@x</btid>"),
		 STORE_BTID_MAX - 1, 0);
	ok(parse(big, &info, why) == -EINVAL &&
	   !strcmp(why, "btid is not a B-TID"),
	   "refused: a B-TID of %d octets", STORE_BTID_MAX + 1);
}

int main(void)
{
	plan(43);
	test_build();
	test_parse_forms();
	test_rejects();
	return done_testing();
}
