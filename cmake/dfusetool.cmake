# dfusetool.cmake - dfusetool_add_dfu(): a release .dfu from a CMake build.
#
# Three ways to get it (README.md, "CMake"):
#   find_package(dfusetool 0.2)            after `make install`
#   include(path/to/dfusetool/cmake/dfusetool.cmake)   from a checkout
#   add_subdirectory(path/to/dfusetool ...) or FetchContent with a local path
#
#   dfusetool_add_dfu(NAME OUTPUT file.dfu
#                     CM7 <elf target or file>... CM4 <elf target or file>...
#                     [DEVICE name] [ALLOW code...] [NAME_STRING "..."]
#                     [VID hex] [PID hex] [BCD hex])
#
# makes the target NAME (in ALL) whose custom command runs
#   dfusetool build -q -o OUTPUT --cm7 ... --cm4 ... [--device] [--allow]...
#                   [--name] [--vid] [--pid] [--bcd]
# DEPENDS on every input (a target by $<TARGET_FILE:...>, a file by its
# path) and on dfusetool itself, so the .dfu is rebuilt exactly when one of
# them changes.  dfusetool writes the file only when its checks pass, so a
# check error fails the build with dfusetool's message in the build log and
# leaves no stale .dfu behind.
#
# The tool: the imported target dfuse::dfusetool when it exists (the
# installed package defines it), else the DFUSETOOL cache variable, else
# find_program(dfusetool), which also looks in the checkout's build/.
include_guard(GLOBAL)

function(_dfusetool_resolve_tool out_cmd out_dep)
	if(TARGET dfuse::dfusetool)
		set(${out_cmd} "$<TARGET_FILE:dfuse::dfusetool>" PARENT_SCOPE)
		set(${out_dep} "$<TARGET_FILE:dfuse::dfusetool>" PARENT_SCOPE)
		return()
	endif()
	if(NOT DFUSETOOL)
		find_program(DFUSETOOL dfusetool
			HINTS "${_DFUSETOOL_CMAKE_DIR}/../build"
			DOC "the dfusetool executable dfusetool_add_dfu() runs")
	endif()
	if(NOT DFUSETOOL)
		message(FATAL_ERROR "dfusetool_add_dfu: dfusetool not found: "
			"install it, or set -DDFUSETOOL=/path/to/dfusetool")
	endif()
	set(${out_cmd} "${DFUSETOOL}" PARENT_SCOPE)
	set(${out_dep} "${DFUSETOOL}" PARENT_SCOPE)
endfunction()

set(_DFUSETOOL_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "")

function(dfusetool_add_dfu name)
	cmake_parse_arguments(PARSE_ARGV 1 arg ""
		"OUTPUT;DEVICE;NAME_STRING;VID;PID;BCD" "CM7;CM4;ALLOW")
	if(arg_UNPARSED_ARGUMENTS)
		message(FATAL_ERROR "dfusetool_add_dfu(${name}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
	endif()
	if(NOT arg_OUTPUT)
		message(FATAL_ERROR "dfusetool_add_dfu(${name}): OUTPUT file.dfu is required")
	endif()
	if(NOT arg_CM7 AND NOT arg_CM4)
		message(FATAL_ERROR "dfusetool_add_dfu(${name}): give CM7 and/or CM4 inputs")
	endif()
	get_filename_component(out "${arg_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
	_dfusetool_resolve_tool(tool tooldep)

	set(args "")
	set(deps "${tooldep}")
	foreach(core CM7 CM4)
		string(TOLOWER "${core}" opt)
		foreach(in IN LISTS arg_${core})
			if(TARGET "${in}")
				set(path "$<TARGET_FILE:${in}>")
				list(APPEND deps "${in}" "${path}")
			else()
				get_filename_component(path "${in}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
				list(APPEND deps "${path}")
			endif()
			list(APPEND args "--${opt}" "${path}")
		endforeach()
	endforeach()
	if(DEFINED arg_DEVICE)
		list(APPEND args --device "${arg_DEVICE}")
	endif()
	foreach(code IN LISTS arg_ALLOW)
		list(APPEND args --allow "${code}")
	endforeach()
	if(DEFINED arg_NAME_STRING)
		list(APPEND args --name "${arg_NAME_STRING}")
	endif()
	foreach(id VID PID BCD)
		if(DEFINED arg_${id})
			string(TOLOWER "${id}" opt)
			list(APPEND args "--${opt}" "${arg_${id}}")
		endif()
	endforeach()

	file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${out}")
	add_custom_command(OUTPUT "${out}"
		COMMAND "${tool}" build -q -o "${out}" ${args}
		DEPENDS ${deps}
		COMMENT "dfusetool build ${shown}"
		VERBATIM)
	add_custom_target(${name} ALL DEPENDS "${out}")
	if(TARGET dfusetool_tool)
		add_dependencies(${name} dfusetool_tool)
	endif()
	set_property(TARGET ${name} PROPERTY DFUSE_OUTPUT "${out}")
endfunction()
