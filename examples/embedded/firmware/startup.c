/* Startup code of the embedded example, for the Cortex-M cores of QEMU's mps2 boards (an385: M3, an386: M4F, an500:
 * M7) and, unchanged, for most Cortex-M microcontrollers: a vector table, .data copied from flash, .bss zeroed, the
 * FPU enabled where there is one, semihosting set up, C++ static constructors run, then exit(main()). Semihosting
 * hands main's return value to the debugger (QEMU: its exit status). A fault (a trapped CTNN_ASSERT, a bad access)
 * ends the program with exit status 3 at once instead of hanging. A real board needs its own interrupt vectors after
 * the sixteen below (the chip's reference manual lists them) and, without a debugger attached, no semihosting:
 * link with --specs=nosys.specs and print through a UART instead. */
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
    *(volatile uint32_t*)0xE000ED88 |= (0xFu << 20);
    __asm volatile("dsb\n\tisb");
#endif
    initialise_monitor_handles();
    __libc_init_array();
    exit(main());
}

void Fault_Handler(void) {
    _exit(3);
}
void Default_Handler(void) {
    _exit(4);
}

/* A vector is a handler's address, but the first one is the initial stack pointer: a union says so without a cast
 * between object and function pointers. */
typedef union {
    uint32_t* stack;
    void (*handler)(void);
} vector;

/* The core's exceptions, up to SysTick (ARMv7-M numbering); a chip's interrupt handlers follow them. */
__attribute__((section(".isr_vector"), used)) const vector vectors[] = {
    {.stack = &_estack},          /* initial stack pointer */
    {.handler = Reset_Handler},   /* reset */
    {.handler = Default_Handler}, /* NMI */
    {.handler = Fault_Handler},   /* hard fault */
    {.handler = Fault_Handler},   /* memory management fault */
    {.handler = Fault_Handler},   /* bus fault */
    {.handler = Fault_Handler},   /* usage fault */
    {0},                          /* reserved */
    {0},                          /* reserved */
    {0},                          /* reserved */
    {0},                          /* reserved */
    {.handler = Default_Handler}, /* SVCall */
    {.handler = Default_Handler}, /* debug monitor */
    {0},                          /* reserved */
    {.handler = Default_Handler}, /* PendSV */
    {.handler = Default_Handler}, /* SysTick */
};

/* newlib's __libc_init_array calls _init and __libc_fini_array _fini; the crt files that define them are not linked
 * (-nostartfiles). */
void _init(void) {}
void _fini(void) {}
