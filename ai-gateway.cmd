@echo off
rem AI Gateway launcher for Windows: builds the jar when missing, then runs it with a JDK >= 21.
setlocal
set ROOT=%~dp0
set JAR=%ROOT%target\ai-gateway.jar
set JAVA=java
if defined JAVA_HOME set JAVA=%JAVA_HOME%\bin\java
if not exist "%JAR%" (
  echo Building AI Gateway...
  pushd "%ROOT%" && call mvnw.cmd -q -B -DskipTests package && popd
  if errorlevel 1 (echo error: the build failed & exit /b 1)
)
"%JAVA%" -Xms16m -Xmx192m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED -jar "%JAR%" %*
