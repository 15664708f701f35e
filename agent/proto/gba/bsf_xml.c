// SPDX-License-Identifier: GPL-2.0
/*
 * The BootstrappingInfo body, with libxml2.
 */
#include <errno.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "bsf_xml.h"
#include "util/utc.h"
#include "util/why.h"

#define ROOT_NAME	"BootstrappingInfo"

static bool info_times_valid(const struct bsf_info *info)
{
	char text[UTC_TEXT_LEN + 1];

	return !utc_format(text, info->lifetime) &&
	       (!info->currenttime || !utc_format(text, info->currenttime));
}

/* A child element with text content, escaped by libxml2. */
static bool add_text_child(xmlNodePtr parent, xmlNsPtr ns, const char *name,
			   const char *text)
{
	return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text);
}

static bool add_time_child(xmlNodePtr parent, xmlNsPtr ns, const char *name,
			   int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	return !utc_format(text, t) && add_text_child(parent, ns, name, text);
}

static int build_doc(xmlDocPtr doc, const struct bsf_info *info)
{
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST ROOT_NAME);
	xmlNodePtr extension;
	xmlNsPtr ns;

	if (!root)
		return -ENOMEM;
	xmlDocSetRootElement(doc, root);
	/* The default namespace: every element is qualified (C.2). */
	ns = xmlNewNs(root, BAD_CAST BSF_XML_NS, NULL);
	if (!ns)
		return -ENOMEM;
	xmlSetNs(root, ns);
	if (!add_text_child(root, ns, "btid", info->btid) ||
	    !add_time_child(root, ns, "lifetime", info->lifetime))
		return -ENOMEM;
	if (!info->currenttime)
		return 0;
	extension = xmlNewChild(root, ns, BAD_CAST "Extension", NULL);
	if (!extension ||
	    !add_time_child(extension, ns, "currenttime", info->currenttime))
		return -ENOMEM;
	return 0;
}

int bsf_xml_build(char *out, size_t size, const struct bsf_info *info,
		  char *why, size_t why_size)
{
	xmlDocPtr doc;
	xmlChar *mem = NULL;
	int len = 0, ret;

	if (!store_btid_valid(info->btid)) {
		ub_why(why, why_size, "btid is not a B-TID");
		return -EINVAL;
	}
	if (!info_times_valid(info)) {
		ub_why(why, why_size, "lifetime or currenttime out of range");
		return -EINVAL;
	}
	doc = xmlNewDoc(BAD_CAST "1.0");
	if (!doc)
		return -ENOMEM;
	ret = build_doc(doc, info);
	if (!ret) {
		xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
		if (!mem || len <= 0)
			ret = -ENOMEM;
		else if ((size_t)len >= size)
			ret = -ENOSPC;
	}
	if (!ret) {
		memcpy(out, mem, (size_t)len);
		out[len] = '\0';
		ret = len;
	}
	xmlFree(mem);
	xmlFreeDoc(doc);
	return ret;
}

/* Parsing. */

static bool is_ours(xmlNodePtr node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && node->ns &&
	       !xmlStrcmp(node->ns->href, BAD_CAST BSF_XML_NS) &&
	       !xmlStrcmp(node->name, BAD_CAST name);
}

static bool xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The text of an element that holds text only (text and CDATA, comments
 * and processing instructions skipped, no element), whitespace trimmed,
 * into out (size octets). -EINVAL when it holds an element or does not
 * fit.
 */
static int element_text(xmlNodePtr element, char *out, size_t size)
{
	size_t len = 0, start = 0, n;
	xmlNodePtr child;

	for (child = element->children; child; child = child->next) {
		if (child->type == XML_COMMENT_NODE ||
		    child->type == XML_PI_NODE)
			continue;
		if (child->type != XML_TEXT_NODE &&
		    child->type != XML_CDATA_SECTION_NODE)
			return -EINVAL;
		n = child->content ? strlen((const char *)child->content) : 0;
		if (n >= size - len)
			return -EINVAL;
		memcpy(out + len, child->content, n);
		len += n;
	}
	while (len && xml_space(out[len - 1]))
		len--;
	while (start < len && xml_space(out[start]))
		start++;
	memmove(out, out + start, len - start);
	out[len - start] = '\0';
	return 0;
}

static int read_time(xmlNodePtr element, int64_t *t)
{
	/* Room for fractional seconds: xs:dateTime sets no limit, we do. */
	char text[64];

	if (element_text(element, text, sizeof(text)) ||
	    utc_parse_xs(text, t))
		return -EINVAL;
	return 0;
}

static int read_extension(xmlNodePtr extension, struct bsf_info *info,
			  char *why, size_t why_size)
{
	xmlNodePtr child;
	bool seen = false;

	for (child = extension->children; child; child = child->next) {
		if (!is_ours(child, "currenttime"))
			continue;
		if (seen) {
			ub_why(why, why_size, "currenttime given twice");
			return -EINVAL;
		}
		seen = true;
		if (read_time(child, &info->currenttime)) {
			ub_why(why, why_size,
			       "currenttime is not a UTC xs:dateTime");
			return -EINVAL;
		}
	}
	return 0;
}

static int read_root(xmlNodePtr root, struct bsf_info *info, char *why,
		     size_t why_size)
{
	bool btid = false, lifetime = false, extension = false;
	xmlNodePtr child;

	if (!is_ours(root, ROOT_NAME)) {
		ub_why(why, why_size, "root is not BootstrappingInfo in %s",
		       BSF_XML_NS);
		return -EINVAL;
	}
	for (child = root->children; child; child = child->next) {
		if (is_ours(child, "btid")) {
			if (btid) {
				ub_why(why, why_size, "btid given twice");
				return -EINVAL;
			}
			btid = true;
			if (element_text(child, info->btid,
					 sizeof(info->btid)) ||
			    !store_btid_valid(info->btid)) {
				ub_why(why, why_size, "btid is not a B-TID");
				return -EINVAL;
			}
		} else if (is_ours(child, "lifetime")) {
			if (lifetime) {
				ub_why(why, why_size, "lifetime given twice");
				return -EINVAL;
			}
			lifetime = true;
			if (read_time(child, &info->lifetime)) {
				ub_why(why, why_size,
				       "lifetime is not a UTC xs:dateTime");
				return -EINVAL;
			}
		} else if (is_ours(child, "Extension")) {
			if (extension) {
				ub_why(why, why_size,
				       "Extension given twice");
				return -EINVAL;
			}
			extension = true;
			if (read_extension(child, info, why, why_size))
				return -EINVAL;
		}
	}
	if (!btid || !lifetime) {
		ub_why(why, why_size, "btid or lifetime missing");
		return -EINVAL;
	}
	return 0;
}

/*
 * The SAX event for "<!DOCTYPE": stop right there, before any entity
 * declaration is read. BootstrappingInfo has no use for a DTD, and
 * without one there are no entities but the five predefined ones.
 */
static void refuse_dtd(void *ctx, const xmlChar *name,
		       const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)external_id;
	(void)system_id;
	ctxt->_private = ctxt;	/* the mark bsf_xml_parse() looks for */
	xmlStopParser(ctxt);
}

/* Some libxml2 errors bypass XML_PARSE_NOERROR: the encoding ones. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlDocPtr read_doc(const char *body, size_t len, bool *dtd)
{
	/*
	 * No XML_PARSE_NOENT (entities stay unsubstituted), no DTD
	 * loading or validation, no network; errors not printed.
	 */
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlGenericErrorFunc saved_func;
	void *saved_ctx;
	xmlDocPtr doc;

	*dtd = false;
	if (!ctxt)
		return NULL;
	ctxt->sax->internalSubset = refuse_dtd;
	ctxt->_private = NULL;
	/* Per thread in libxml2, and put back as it was. */
	saved_func = xmlGenericError;
	saved_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet);
	/* UTF-8 as C.2 has it, whatever the document declares: no iconv. */
	doc = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, "UTF-8", options);
	xmlSetGenericErrorFunc(saved_ctx, saved_func);
	*dtd = ctxt->_private != NULL;
	if (doc && (*dtd || !ctxt->wellFormed)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

int bsf_xml_parse(const char *body, size_t len, struct bsf_info *info,
		  char *why, size_t why_size)
{
	struct bsf_info parsed;
	xmlDocPtr doc;
	xmlNodePtr root;
	bool dtd;
	int ret;

	if (!body || !len) {
		ub_why(why, why_size, "empty body");
		return -EINVAL;
	}
	if (len > BSF_XML_MAX) {
		ub_why(why, why_size, "body longer than %d octets",
		       BSF_XML_MAX);
		return -EINVAL;
	}
	doc = read_doc(body, len, &dtd);
	if (!doc) {
		ub_why(why, why_size, dtd ? "document has a DTD"
					  : "not well-formed XML");
		return -EINVAL;
	}
	memset(&parsed, 0, sizeof(parsed));
	root = xmlDocGetRootElement(doc);
	ret = root ? read_root(root, &parsed, why, why_size) : -EINVAL;
	xmlFreeDoc(doc);
	if (!ret)
		*info = parsed;
	return ret;
}
