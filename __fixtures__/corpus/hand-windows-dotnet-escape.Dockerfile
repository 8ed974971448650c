# escape=`

ARG SDK_TAG=8.0-windowsservercore-ltsc2022
FROM mcr.microsoft.com/dotnet/sdk:${SDK_TAG} AS build
WORKDIR C:\src
COPY *.sln .
COPY src\Api\Api.csproj src\Api\
RUN dotnet restore
COPY . .
RUN dotnet publish src\Api\Api.csproj `
        -c Release `
        -o C:\out `
        /p:Version=$env:VERSION

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR C:\app
COPY --from=build C:\out .
USER ContainerUser
ENTRYPOINT ["dotnet", "Api.dll"]
