def forward(request):
    return request
