/* Hand-written test shim: Wine 8 lacks bcryptprimitives.dll, whose ProcessPrng Rust's std
   calls for random bytes on Windows; this forwards it to RtlGenRandom (advapi32). */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) { return RtlGenRandom(data, (ULONG)len); }
