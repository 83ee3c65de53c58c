@echo off
call "%~dp0ai-gateway.cmd" start %*
