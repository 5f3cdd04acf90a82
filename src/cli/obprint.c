/*
 * obprint.c - a decoded option-byte block grouped and laid out in text and
 * JSON (obprint.h).  The groups follow RM0399 §4.4 (user option bytes,
 * read protection, write protection, PCROP and secure-only areas, boot
 * addresses).
 */
#include "obprint.h"
#include "msg.h"

#include <string.h>

const char obprint_never_written[] =
	"dfusetool never writes option bytes: a wrong read-protection level "
	"(level 2 is permanent) or a wrong boot address can leave a board "
	"that no longer reaches the ROM bootloader, and ROM V9.0 (ID 0x90) "
	"cannot write the CM4 boot address (AN2606)";

static const struct {
	const char *name;
	int group;
} groups[] = {
	{"RDP", OB_GROUP_PROTECTION},
	{"SECURITY", OB_GROUP_PROTECTION},
	{"BCM7", OB_GROUP_BOOT},
	{"BCM4", OB_GROUP_BOOT},
	{"BOOT_CM7_ADD0", OB_GROUP_BOOT},
	{"BOOT_CM7_ADD1", OB_GROUP_BOOT},
	{"BOOT_CM4_ADD0", OB_GROUP_BOOT},
	{"BOOT_CM4_ADD1", OB_GROUP_BOOT},
	{"SWAP_BANK_OPT", OB_GROUP_BOOT},
	{"SWAP_BANK", OB_GROUP_BOOT},
	{"nWRP1", OB_GROUP_WRP},
	{"nWRP2", OB_GROUP_WRP},
	{"PROT_AREA1", OB_GROUP_AREAS},
	{"PROT_AREA2", OB_GROUP_AREAS},
	{"SEC_AREA1", OB_GROUP_AREAS},
	{"SEC_AREA2", OB_GROUP_AREAS},
	{"IWDG1_SW", OB_GROUP_WATCHDOG},
	{"IWDG2_SW", OB_GROUP_WATCHDOG},
	{"FZ_IWDG_STOP", OB_GROUP_WATCHDOG},
	{"FZ_IWDG_SDBY", OB_GROUP_WATCHDOG},
	{"NRST_STOP_D1", OB_GROUP_WATCHDOG},
	{"NRST_STBY_D1", OB_GROUP_WATCHDOG},
	{"NRST_STOP_D2", OB_GROUP_WATCHDOG},
	{"NRST_STBY_D2", OB_GROUP_WATCHDOG},
	{"BOR_LEV", OB_GROUP_WATCHDOG},
};

int obprint_group(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(groups[i].name, name) == 0)
			return groups[i].group;
	return OB_GROUP_OTHER;
}

const char *obprint_group_title(int group)
{
	static const char *const titles[OB_GROUPS] = {
		"protection",
		"boot",
		"write protection",
		"PCROP and secure areas",
		"watchdogs, reset and BOR",
		"other",
	};

	return group >= 0 && group < OB_GROUPS ? titles[group] : "other";
}

static const char *severity_word(int severity)
{
	if (severity == DFUSE_SEV_WARNING)
		return "warning";
	if (severity == DFUSE_SEV_NOTE)
		return "note";
	return "plain";
}

void obprint_text(FILE *f, const dfuse_option_bytes *ob, int indent)
{
	int g;
	size_t i;

	if (msg_verbosity() < 0)
		return;
	for (g = 0; g < OB_GROUPS; g++) {
		int any = 0;

		for (i = 0; i < ob->field_count; i++) {
			const dfuse_option_field *x = &ob->fields[i];
			char raw[16];

			if (obprint_group(x->name) != g)
				continue;
			if (!any++)
				msg_fprintf(f, "%*s%s:\n", indent, "",
					    obprint_group_title(g));
			if (x->known)
				snprintf(raw, sizeof(raw), "0x%X",
					 (unsigned)x->raw);
			else
				snprintf(raw, sizeof(raw), "?");
			msg_fprintf(f, "%*s  %-14s %-10s %s%s%s\n", indent, "",
				    x->name, raw,
				    x->severity == DFUSE_OPTION_PLAIN
					    ? ""
					    : severity_word(x->severity),
				    x->severity == DFUSE_OPTION_PLAIN ? ""
								      : ": ",
				    x->text);
		}
	}
}

void obprint_kjson_fields(struct json *j, const char *key,
			  const dfuse_option_bytes *ob)
{
	size_t i;

	json_key(j, key);
	json_begin_array(j);
	for (i = 0; i < ob->field_count; i++) {
		const dfuse_option_field *x = &ob->fields[i];

		json_begin_object(j);
		json_kstr(j, "name", x->name);
		json_kstr(j, "group",
			  obprint_group_title(obprint_group(x->name)));
		json_kuint(j, "raw", x->raw);
		json_kbool(j, "known", x->known);
		json_kstr(j, "severity", severity_word(x->severity));
		json_key(j, "affects");
		json_begin_array(j);
		if (x->affects & DFUSE_OPTION_AFFECTS_BOOT)
			json_str(j, "boot");
		if (x->affects & DFUSE_OPTION_AFFECTS_WRITE)
			json_str(j, "write");
		if (x->affects & DFUSE_OPTION_AFFECTS_READ)
			json_str(j, "read");
		json_end_array(j);
		json_kstr(j, "text", x->text);
		json_kuint(j, "offset", x->offset);
		if (x->sector >= 0)
			json_kuint(j, "sector", (uint64_t)x->sector);
		else
			json_knull(j, "sector");
		if (x->has_range) {
			json_kuint(j, "address", x->address);
			json_kuint(j, "end", x->end);
		} else {
			json_knull(j, "address");
			json_knull(j, "end");
		}
		json_end_object(j);
	}
	json_end_array(j);
}
