# samples.mk - `make samples`: rebuild samples/h745-blinky with the Arm
# cross compiler.
#
# The top-level Makefile reads this file with `-include samples/samples.mk`.
# It also works alone: `make -f samples/samples.mk samples`. Every variable
# here starts with SAMPLES_ so that nothing clashes with the top level.
#
# The outputs (cm7/cm4 .elf, .hex, .srec, .bin) are committed next to the
# sources, so `make demo` needs no cross compiler. Objects, dependency files
# and link maps go to $(B)/samples (build/samples by default).
#
# The build is reproducible: sources are named by relative paths and
# -ffile-prefix-map maps the working directory to ".", so two builds from
# any two checkouts give byte-identical outputs.

SAMPLES_CROSS   ?= arm-none-eabi-
SAMPLES_CC      := $(SAMPLES_CROSS)gcc
SAMPLES_OBJCOPY := $(SAMPLES_CROSS)objcopy

SAMPLES_DIR := samples/h745-blinky
SAMPLES_OUT := $(or $(B),build)/samples

# Both cores: no float arithmetic in the code, so soft float keeps the FPU
# off and needs no CPACR setup in the startup code. Without
# -fno-tree-loop-distribute-patterns gcc may turn the .data copy and .bss
# zeroing loops into memcpy/memset calls, which -nostdlib does not provide.
SAMPLES_CFLAGS := -Os -g -std=c11 -ffreestanding -ffunction-sections \
	-fdata-sections -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -ffile-prefix-map=$(CURDIR)=. \
	-I$(SAMPLES_DIR) -MMD -MP
SAMPLES_LDFLAGS := -nostdlib -nostartfiles -Wl,--gc-sections
SAMPLES_CM7_ARCH := -mcpu=cortex-m7 -mthumb -mfloat-abi=soft
SAMPLES_CM4_ARCH := -mcpu=cortex-m4 -mthumb -mfloat-abi=soft

SAMPLES_CM7_OBJ := $(addprefix $(SAMPLES_OUT)/cm7/,cm7_startup.o cm7_main.o)
SAMPLES_CM4_OBJ := $(addprefix $(SAMPLES_OUT)/cm4/,cm4_startup.o cm4_main.o)

SAMPLES_OUTPUTS := $(foreach c,cm7 cm4,$(foreach x,elf hex srec bin, \
	$(SAMPLES_DIR)/$(c).$(x)))

.PHONY: samples
samples: $(SAMPLES_OUTPUTS)

$(SAMPLES_OUT)/cm7/%.o: $(SAMPLES_DIR)/cm7/%.c
	@mkdir -p $(@D)
	$(SAMPLES_CC) $(SAMPLES_CM7_ARCH) $(SAMPLES_CFLAGS) -c $< -o $@

$(SAMPLES_OUT)/cm4/%.o: $(SAMPLES_DIR)/cm4/%.c
	@mkdir -p $(@D)
	$(SAMPLES_CC) $(SAMPLES_CM4_ARCH) $(SAMPLES_CFLAGS) -c $< -o $@

$(SAMPLES_DIR)/cm7.elf: $(SAMPLES_CM7_OBJ) $(SAMPLES_DIR)/cm7/cm7.ld
	$(SAMPLES_CC) $(SAMPLES_CM7_ARCH) $(SAMPLES_LDFLAGS) \
	  -T $(SAMPLES_DIR)/cm7/cm7.ld -Wl,-Map=$(SAMPLES_OUT)/cm7.map \
	  -o $@ $(SAMPLES_CM7_OBJ)

$(SAMPLES_DIR)/cm4.elf: $(SAMPLES_CM4_OBJ) $(SAMPLES_DIR)/cm4/cm4.ld
	$(SAMPLES_CC) $(SAMPLES_CM4_ARCH) $(SAMPLES_LDFLAGS) \
	  -T $(SAMPLES_DIR)/cm4/cm4.ld -Wl,-Map=$(SAMPLES_OUT)/cm4.map \
	  -o $@ $(SAMPLES_CM4_OBJ)

# objcopy writes hex, srec and binary output at each section's load address
# (LMA), so the .data initial values land in flash right after .rodata and
# the NOLOAD .bss is left out. The .bin starts at the lowest LMA, the
# vector table at the flash base. A section with contents but a RAM load
# address would stretch the .bin from flash to RAM (hundreds of MB); the
# size check catches that. objcopy copies the ELF's execute bits to srec and
# binary output; chmod keeps the committed data files non-executable.
$(SAMPLES_DIR)/%.hex: $(SAMPLES_DIR)/%.elf
	$(SAMPLES_OBJCOPY) -O ihex $< $@
	@chmod a-x $@

$(SAMPLES_DIR)/%.srec: $(SAMPLES_DIR)/%.elf
	$(SAMPLES_OBJCOPY) -O srec $< $@
	@chmod a-x $@

$(SAMPLES_DIR)/%.bin: $(SAMPLES_DIR)/%.elf
	$(SAMPLES_OBJCOPY) -O binary $< $@
	@chmod a-x $@
	@test $$(wc -c < $@) -le 1048576 || \
	  { echo "$@: larger than a 1 MB flash bank"; rm -f $@; exit 1; }

-include $(SAMPLES_CM7_OBJ:.o=.d) $(SAMPLES_CM4_OBJ:.o=.d)
