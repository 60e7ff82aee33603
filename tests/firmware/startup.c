/* Startup code of the firmware tests, for the Cortex-M cores of QEMU's mps2 boards (an385, an386, an500): a vector
 * table, .data copied from flash, .bss zeroed, the FPU enabled where there is one, semihosting set up, C++ static
 * constructors run, then exit(main()). Semihosting hands main's return value to QEMU's exit status, which is what
 * ctest judges. A fault (a trapped CTNN_ASSERT, a bad access) ends the program with exit status 3 at once, instead
 * of spinning until the test's timeout. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
extern int main(void);
extern void __libc_init_array(void);
extern void initialise_monitor_handles(void);
extern void exit(int);
extern void _exit(int);

void Reset_Handler(void) {
    uint32_t *s = &_sidata, *d = &_sdata;
    while (d < &_edata) *d++ = *s++;
    for (d = &_sbss; d < &_ebss;) *d++ = 0;
#if defined(__ARM_FP)
    /* CPACR: full access to coprocessors 10 and 11 (the FPU) before the first floating-point instruction. */
    *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20);
    __asm volatile("dsb\n\tisb");
#endif
    initialise_monitor_handles();
    __libc_init_array();
    exit(main());
}

void Fault_Handler(void) { _exit(3); }
void Default_Handler(void) { _exit(4); }

/* A vector is a handler's address, but the first one is the initial stack pointer: a union says so without a cast
 * between object and function pointers. */
typedef union {
    uint32_t *stack;
    void (*handler)(void);
} vector;

/* The ARMv7-M exceptions up to SysTick: initial stack pointer, reset, NMI, hard fault, memory management fault, bus
 * fault, usage fault, four reserved words, SVCall, debug monitor, a reserved word, PendSV, SysTick. */
__attribute__((section(".isr_vector"), used)) const vector vectors[16] = {
    {.stack = &_estack},     {.handler = Reset_Handler}, {.handler = Default_Handler}, {.handler = Fault_Handler},
    {.handler = Fault_Handler}, {.handler = Fault_Handler}, {.handler = Fault_Handler}, {0}, {0}, {0}, {0},
    {.handler = Default_Handler}, {.handler = Default_Handler}, {0}, {.handler = Default_Handler},
    {.handler = Default_Handler}};

/* newlib's __libc_init_array calls _init and __libc_fini_array _fini; the crt files that define them are not linked
 * (-nostartfiles). */
void _init(void) {}
void _fini(void) {}
