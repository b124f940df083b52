// ApicPort: the narrow interface from the CPU core to its local APIC, which
// lives in the machine (machine/lapic.h). The CPU sees only this: the core
// stays free of machine headers. A Cpu without one (apic == nullptr, as in
// unit tests of the bare core) keeps the old rules: no x2APIC MSRs, no
// TSC-deadline MSR, CR8 a plain register.
#pragma once
#include "base/base.h"

namespace pc64 {

class ApicPort {
 public:
  virtual ~ApicPort() = default;
  // RDMSR/WRMSR of the x2APIC range (800H-8FFH) and IA32_TSC_DEADLINE
  // (6E0H). false: the access raises #GP(0) (SDM Vol. 3A §11.12.1.3).
  virtual bool apic_msr_read(u32 index, u64* v) = 0;
  virtual bool apic_msr_write(u32 index, u64 v) = 0;
  // A WRMSR to IA32_APIC_BASE with reserved bits already checked: applies
  // the enable/x2APIC state transition (SDM Vol. 3A §11.12.5, Figure 11-27)
  // and the relocation, or returns false (#GP) for an invalid transition.
  // The CPU stores the new value in CpuState::apic_base after success.
  virtual bool apic_base_write(u64 old_value, u64 new_value) = 0;
  // MOV to CR8 wrote TPR[7:4] (SDM Vol. 3A §11.8.6.5); TPR[3:0] become 0.
  virtual void apic_cr8_write(u8 cr8) = 0;
};

}  // namespace pc64
