# SPDX-License-Identifier: GPL-2.0
#
# Test data more than one suite uses, in one place (selftests/lib/
# prologue.sh sources it). Expected outputs stay in the tests that check
# them; these are inputs.

# TS 35.208 (Milenage) test sets 1 to 4: K, OP and OPc; set 1's RAND, SQN
# and AMF too. Set 1 is the e2m subscriber of the suites, set 2 a plain
# one (or a second e2m one).
K1=465b5ce8b199b49faa5f0a2ee238a6bc
OP1=cdc202d5123e20f62b6d676ac72cb318
OPC1=cd63cb71954a9f4e48a5994e37a02baf
RAND1=23553cbe9637a89d218ae64dae47bf35
SQN1=ff9bb4d0b607
AMF1=b9b9
K2=0396eb317b6d1c36f19c1c84cd6ffd16
OP2=ff53bade17df5d4e793073ce9d7579fa
OPC2=53c15671c60a4b731c55b4a441c0bde2
K3=fec86ba6eb707ed08905757b1bb44b8f
OP3=dbc59adcb6f9a0ef735477b7fadf8374
OPC3=1006020f0a478bf6b699f15c062e42b3
K4=9e5944aea94b81165c82fbf9f32db751
OP4=223014c5806694c007ca1eeef57f004f
OPC4=a64a507ae1a2a98bb88eb4210135dc87

# The subscribers of sets 1 and 2 in the test network (MCC 001, MNC 01).
IMSI1=001010000000001
IMSI2=001010000000002

# An e2mKEYSET's keys for the data path suites and benchmarks: NEA2's
# K_enc and NIA2's K_int, made up (counting up, counting down).
K_ENC=000102030405060708090a0b0c0d0e0f
K_INT=f0e0d0c0b0a090807060504030201000
