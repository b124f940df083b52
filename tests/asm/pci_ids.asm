; PCI configuration mechanism #1 (PCI Local Bus Spec 3.0 §3.2.2.3.2) on
; the i440FX board: CONFIG_ADDRESS reads back (reserved bits are left 0:
; QEMU keeps them, the spec makes them read-only 0; see the unit tests);
; dword, word and byte reads of CONFIG_DATA at 0xCFC-0xCFF; the host
; bridge 00:00.0 (82441FX 8086:1237), the PIIX3 ISA bridge 00:01.0
; (8086:7000, multi-function) and the PIIX4 power management function
; 00:01.3 (8086:7113); absent functions, slots and buses read all ones; with
; the enable bit clear CONFIG_DATA is not a configuration access. Port 92h
; bit 1 (fast A20) is set. Only identity registers are printed: BARs, PIRQ
; routing and PMBA are firmware's choice.
%include "lib.inc"

%macro CFGRD 2                  ; CFGRD addr, port offset (0-3); size from CFGSZ
  mov eax, %1
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfc + %2
%endmacro

main:
  CFGRD 0x80000000, 0
  in eax, dx
  SHOW "00.0_id", eax
  mov dx, 0xcf8
  mov eax, 0x8000ab04
  out dx, eax
  in eax, dx
  SHOW "confadd", eax
  CFGRD 0x80000008, 0
  in eax, dx
  SHOW "00.0_class_rev", eax
  CFGRD 0x8000000c, 2
  in al, dx
  movzx eax, al
  SHOW "00.0_hdr", eax
  CFGRD 0x80000000, 2
  in ax, dx
  movzx eax, ax
  SHOW "00.0_did_w", eax
  CFGRD 0x80000000, 1
  in al, dx
  movzx eax, al
  SHOW "00.0_b1", eax
  CFGRD 0x80000800, 0
  in eax, dx
  SHOW "01.0_id", eax
  CFGRD 0x80000808, 0
  in eax, dx
  SHOW "01.0_class", eax
  CFGRD 0x8000080c, 2
  in al, dx
  movzx eax, al
  SHOW "01.0_hdr", eax
  CFGRD 0x80000b00, 0
  in eax, dx
  SHOW "01.3_id", eax
  CFGRD 0x80000b08, 0
  in eax, dx
  SHOW "01.3_class", eax
  CFGRD 0x8000fa00, 0              ; 00:1f.2
  in eax, dx
  SHOW "1f.2_id", eax
  CFGRD 0x80010000, 0              ; bus 1
  in eax, dx
  SHOW "bus1_id", eax
  CFGRD 0x80ff0000, 2              ; bus 255, word
  in ax, dx
  movzx eax, ax
  SHOW "bus255_w", eax
  CFGRD 0x00000000, 0              ; enable clear
  in eax, dx
  SHOW "disabled", eax
  in al, 0x92
  and eax, 2
  SHOW "port92_a20", eax
  mov al, 0
  ret
