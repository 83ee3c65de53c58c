@echo off
call "%~dp0ai-gateway.cmd" virtual-key %*
