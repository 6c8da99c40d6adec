#ifndef RUNBOOK_CMARK_SHIM_H
#define RUNBOOK_CMARK_SHIM_H
#include <cmark.h>
#endif
