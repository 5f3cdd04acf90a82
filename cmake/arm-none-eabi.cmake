# arm-none-eabi.cmake - CMake toolchain file for bare-metal Arm with the GNU
# Arm Embedded toolchain (Debian's gcc-arm-none-eabi):
#   cmake -DCMAKE_TOOLCHAIN_FILE=path/to/cmake/arm-none-eabi.cmake ...
# ARM_NONE_EABI_PREFIX (default "arm-none-eabi-") may name another prefix,
# with a directory.  No CPU flags here: each target sets its own core's
# (-mcpu=cortex-m7 / cortex-m4), as samples/h745-blinky/CMakeLists.txt does.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
if(NOT DEFINED ARM_NONE_EABI_PREFIX)
	set(ARM_NONE_EABI_PREFIX "arm-none-eabi-")
endif()
set(CMAKE_C_COMPILER "${ARM_NONE_EABI_PREFIX}gcc")
set(CMAKE_ASM_COMPILER "${ARM_NONE_EABI_PREFIX}gcc")
set(CMAKE_OBJCOPY "${ARM_NONE_EABI_PREFIX}objcopy" CACHE FILEPATH "objcopy")
# no startup files or libc to link a test program with
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# programs (dfusetool) from the host; no sysroot for libraries or packages
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
