@echo off
rem Startet die App unter Windows: legt .venv an, installiert die gepinnten Abhaengigkeiten
rem (nur wenn sie sich geaendert haben) und startet Streamlit auf 127.0.0.1:8501.
setlocal
cd /d "%~dp0.."
set "BASIS=%FIS_PYTHON%"
if "%BASIS%"=="" (
  py -3.12 -c "" >nul 2>&1 && set "BASIS=py -3.12"
)
if "%BASIS%"=="" (
  py -3.11 -c "" >nul 2>&1 && set "BASIS=py -3.11"
)
if "%BASIS%"=="" set "BASIS=python"
for /f "usebackq delims=" %%P in (`%BASIS% scripts\umgebung.py requirements.txt`) do set "VENV_PYTHON=%%P"
if "%VENV_PYTHON%"=="" exit /b 2
"%VENV_PYTHON%" -m streamlit run server.py %*
